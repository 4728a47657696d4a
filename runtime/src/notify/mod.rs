//! Notifications: a managed subscription to a service's notification topics, delivered as one
//! stream of typed events over channels the subscription keeps alive.
//!
//! A [`Subscriber`] is built by the generated client (`client.notifications_stream()`) with the
//! service's [`ChannelOperations`]; [`Subscriber::start`] creates a channel (or reuses one
//! given), sets its topics and opens its WebSocket with the same token source as the API
//! calls. From then on the [`Subscription`] owns each channel's life:
//!
//! - **Topics in batches**: a channel holds at most the service's topics per channel (1,000
//!   for Genesys Cloud); more topics open more channels, up to the service's channel limit;
//!   beyond it [`NotifyError::TooManyTopics`].
//! - **Keep-alive**: it pings every [`ping_every`](Subscriber::ping_every); a connection on
//!   which nothing (event, heartbeat, pong) arrives for [`dead_after`](Subscriber::dead_after)
//!   is dead.
//! - **Reconnection**: after the service's `v2.system.socket_closing`, a closed or dead socket,
//!   or a channel that is gone, it reconnects with exponential backoff and jitter, subscribes
//!   again (on a new channel when the old one is gone) and goes on; the stream does not end.
//!   Each step is an [`Event`] (`Disconnected`, `ReconnectFailed`, `Reconnected`): events the
//!   service sent while disconnected are lost, as the service does not replay them.
//! - **Renewal**: channels expire unless their topics are set again; it does that every
//!   [`renew_every`](Subscriber::renew_every).
//! - **Live changes**: [`Subscription::add`] and [`Subscription::remove`] change the topics of
//!   a running subscription.
//! - **Bounded buffering**: events wait in a buffer of [`buffer`](Subscriber::buffer) items for
//!   the consumer. When it is full, the connection is still read (so keep-alive works and the
//!   service does not drop a stalled socket) and each event that does not fit is dropped and
//!   counted; the count arrives as [`Event::Lagged`] before the next event that fits. Memory
//!   is bounded by the buffer times [`max_frame_bytes`](Subscriber::max_frame_bytes).
//! - **Shutdown**: [`Subscription::close`] closes every socket and waits for the channels'
//!   tasks; dropping the subscription stops them too.
//!
//! Every frame is accounted for: a subscribed topic's event decodes as the topic's type; an
//! unknown topic's event or a body that does not decode is a [`Notification`] with its raw JSON
//! (and the decode error); a frame that is not an envelope is [`Event::Malformed`].

mod channel;
#[cfg(feature = "double")]
#[cfg_attr(docsrs, doc(cfg(feature = "double")))]
pub mod double;
mod event;
#[cfg(all(test, feature = "double"))]
mod tests;
mod worker;

use std::pin::Pin;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use std::time::Duration;

use serde::de::DeserializeOwned;
use tokio::sync::{Mutex, mpsc, oneshot};
use tokio::task::JoinHandle;

use self::channel::Limits;
pub use self::channel::{Channel, ChannelOperations, NotifyError};
use self::event::{Decoder, Decoders, decoder};
pub use self::event::{Disconnect, Event, Notification};
use self::worker::{Command, Link, Outbox, Settings, Worker};
use crate::topic::Topic;
use crate::transport::Transport;

/// Configures and starts a [`Subscription`]: the topics, and how connections are held.
#[must_use = "a subscriber does nothing until it is started"]
pub struct Subscriber {
    transport: Transport,
    ops: &'static ChannelOperations,
    topics: Vec<String>,
    decoders: Decoders,
    channel: Option<Channel>,
    settings: Settings,
}

impl std::fmt::Debug for Subscriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscriber")
            .field("topics", &self.topics)
            .field("channel", &self.channel)
            .field("settings", &self.settings)
            .finish()
    }
}

impl Subscriber {
    /// A subscriber to the service `ops` describes, calling through `transport`. Generated
    /// clients call this; use their `notifications_stream()`.
    pub fn new(transport: Transport, ops: &'static ChannelOperations) -> Self {
        Subscriber {
            transport,
            ops,
            topics: Vec::new(),
            decoders: Decoders::new(),
            channel: None,
            settings: Settings {
                buffer: 1024,
                ping_every: Duration::from_secs(30),
                dead_after: Duration::from_secs(75),
                backoff_min: Duration::from_secs(1),
                backoff_max: Duration::from_secs(60),
                renew_every: Duration::from_secs(12 * 3600),
                limits: Arc::new(Limits {
                    connect_timeout: Duration::from_secs(10),
                    max_frame_bytes: 16 << 20,
                }),
            },
        }
    }

    /// Subscribes to `topic`; its events decode as `T`. A topic given twice counts once.
    pub fn topic<T: DeserializeOwned + Send + Sync + 'static>(mut self, topic: &Topic<T>) -> Self {
        if self
            .decoders
            .insert(topic.name().to_owned(), decoder::<T>())
            .is_none()
        {
            self.topics.push(topic.name().to_owned());
        }
        self
    }

    /// Subscribes to each of `topics`.
    pub fn topics<'a, T: DeserializeOwned + Send + Sync + 'static>(
        self,
        topics: impl IntoIterator<Item = &'a Topic<T>>,
    ) -> Self {
        topics.into_iter().fold(self, Subscriber::topic)
    }

    /// Uses this existing channel (for the first batch of topics) instead of creating one.
    pub fn channel(mut self, channel: Channel) -> Self {
        self.channel = Some(channel);
        self
    }

    /// How many stream items wait for the consumer (default 1,024, at least 1); see the
    /// module's policy for a full buffer.
    pub fn buffer(mut self, items: usize) -> Self {
        self.settings.buffer = items.max(1);
        self
    }

    /// How often a ping is sent (default 30 s).
    pub fn ping_every(mut self, every: Duration) -> Self {
        self.settings.ping_every = every.max(Duration::from_millis(1));
        self
    }

    /// How long a connection may stay silent before it is dropped as dead (default 75 s: the
    /// service sends a heartbeat every 30 s and answers every ping).
    pub fn dead_after(mut self, after: Duration) -> Self {
        self.settings.dead_after = after;
        self
    }

    /// The first and the longest wait between reconnection attempts (default 1 s and 60 s).
    pub fn reconnect_backoff(mut self, first: Duration, longest: Duration) -> Self {
        self.settings.backoff_min = first;
        self.settings.backoff_max = longest.max(first);
        self
    }

    /// How often each channel's topics are set again to renew it (default 12 hours; Genesys
    /// Cloud channels expire 24 hours after their last subscription).
    pub fn renew_every(mut self, every: Duration) -> Self {
        self.settings.renew_every = every.max(Duration::from_millis(1));
        self
    }

    /// Time allowed to open a channel's WebSocket (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        Arc::make_mut(&mut self.settings.limits).connect_timeout = timeout;
        self
    }

    /// The largest frame accepted, in bytes (default 16 MiB); a larger one ends the connection,
    /// which is then reconnected.
    pub fn max_frame_bytes(mut self, bytes: usize) -> Self {
        Arc::make_mut(&mut self.settings.limits).max_frame_bytes = bytes;
        self
    }

    /// Creates (or reuses) the channels, subscribes them and connects.
    ///
    /// # Errors
    ///
    /// [`NotifyError::TooManyTopics`] when the topics need more channels than the service
    /// allows; otherwise the first channel operation or connection that failed. Nothing is left
    /// running on error.
    pub async fn start(self) -> Result<Subscription, NotifyError> {
        let ops = self.ops;
        let needed = self
            .topics
            .len()
            .div_ceil(ops.topics_per_channel.max(1))
            .max(1);
        if needed > ops.channels {
            return Err(NotifyError::TooManyTopics {
                topics: self.topics.len(),
                per_channel: ops.topics_per_channel,
                channels: ops.channels,
            });
        }
        let (events, receiver) = mpsc::channel(self.settings.buffer);
        let link = Link {
            transport: self.transport,
            ops,
            settings: self.settings,
            decoders: Arc::new(RwLock::new(self.decoders)),
            outbox: Outbox {
                events,
                missed: Arc::new(AtomicU64::new(0)),
            },
        };
        let mut workers = Vec::new();
        let mut given = self.channel;
        let batches: Vec<&[String]> = if self.topics.is_empty() {
            vec![&[]]
        } else {
            self.topics.chunks(ops.topics_per_channel.max(1)).collect()
        };
        for batch in batches {
            match spawn(&link, given.take(), batch.to_vec()).await {
                Ok(worker) => workers.push(worker),
                Err(e) => {
                    shut_down(std::mem::take(&mut workers)).await;
                    return Err(e);
                }
            }
        }
        let decoders = Arc::clone(&link.decoders);
        let control = Control {
            state: Arc::new(Mutex::new(State {
                workers,
                link: Some(link),
            })),
            decoders,
        };
        Ok(Subscription {
            events: receiver,
            control,
        })
    }
}

/// A running channel: its topics, its commands, its task.
struct WorkerHandle {
    topics: Vec<String>,
    commands: mpsc::UnboundedSender<Command>,
    task: JoinHandle<()>,
}

/// Opens a channel for `topics` and starts its worker.
async fn spawn(
    link: &Link,
    channel: Option<Channel>,
    topics: Vec<String>,
) -> Result<WorkerHandle, NotifyError> {
    let (channel, socket) = worker::open(link, channel, &topics).await?;
    let (commands, receiver) = mpsc::unbounded_channel();
    let task =
        tokio::spawn(Worker::new(link.clone(), channel, topics.clone(), receiver).run(socket));
    Ok(WorkerHandle {
        topics,
        commands,
        task,
    })
}

/// Stops the workers: each closes its socket; one that does not finish within a second (it is
/// in the middle of a call) is aborted.
async fn shut_down(workers: Vec<WorkerHandle>) {
    for WorkerHandle {
        commands, mut task, ..
    } in workers
    {
        drop(commands);
        if tokio::time::timeout(Duration::from_secs(2), &mut task)
            .await
            .is_err()
        {
            task.abort();
        }
    }
}

struct State {
    workers: Vec<WorkerHandle>,
    /// What new channels are opened with; `None` once closed, so that the stream ends when the
    /// workers have.
    link: Option<Link>,
}

/// Changes a running [`Subscription`]'s topics or closes it, from anywhere: cheap to clone.
#[derive(Clone)]
pub struct Control {
    state: Arc<Mutex<State>>,
    decoders: Arc<RwLock<Decoders>>,
}

impl std::fmt::Debug for Control {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control").finish_non_exhaustive()
    }
}

impl Control {
    /// Subscribes to `topic` too: on a channel with room, or on a new channel.
    ///
    /// # Errors
    ///
    /// The channel operation that failed, [`NotifyError::TooManyTopics`] when every channel the
    /// service allows is full, [`NotifyError::Closed`] after [`close`](Self::close).
    pub async fn add<T: DeserializeOwned + Send + Sync + 'static>(
        &self,
        topic: &Topic<T>,
    ) -> Result<(), NotifyError> {
        self.add_with(topic.name(), decoder::<T>()).await
    }

    async fn add_with(&self, name: &str, decode: Decoder) -> Result<(), NotifyError> {
        let mut state = self.state.lock().await;
        let Some(link) = state.link.clone() else {
            return Err(NotifyError::Closed);
        };
        if state
            .workers
            .iter()
            .any(|w| w.topics.iter().any(|t| t == name))
        {
            return Ok(());
        }
        let ops = link.ops;
        self.decoders().insert(name.to_owned(), decode);
        let room = state
            .workers
            .iter()
            .position(|w| w.topics.len() < ops.topics_per_channel);
        let result = match room {
            Some(i) => {
                let worker = &mut state.workers[i];
                let mut topics = worker.topics.clone();
                topics.push(name.to_owned());
                set(worker, topics).await
            }
            None if state.workers.len() < ops.channels => spawn(&link, None, vec![name.to_owned()])
                .await
                .map(|w| state.workers.push(w)),
            None => {
                let topics = state.workers.iter().map(|w| w.topics.len()).sum::<usize>() + 1;
                Err(NotifyError::TooManyTopics {
                    topics,
                    per_channel: ops.topics_per_channel,
                    channels: ops.channels,
                })
            }
        };
        if result.is_err() {
            self.decoders().remove(name);
        }
        result
    }

    /// Unsubscribes from `topic`; `false` when it was not subscribed to. Its events still on
    /// the way arrive as unknown topics' notifications (raw JSON).
    ///
    /// # Errors
    ///
    /// The channel operation that failed, or [`NotifyError::Closed`] after
    /// [`close`](Self::close).
    pub async fn remove<T>(&self, topic: &Topic<T>) -> Result<bool, NotifyError> {
        let mut state = self.state.lock().await;
        if state.link.is_none() {
            return Err(NotifyError::Closed);
        }
        let name = topic.name();
        let Some(worker) = state
            .workers
            .iter_mut()
            .find(|w| w.topics.iter().any(|t| t == name))
        else {
            return Ok(false);
        };
        let topics = worker
            .topics
            .iter()
            .filter(|t| *t != name)
            .cloned()
            .collect();
        set(worker, topics).await?;
        self.decoders().remove(name);
        Ok(true)
    }

    /// The topics subscribed to, channel by channel in order.
    pub async fn topics(&self) -> Vec<String> {
        self.state
            .lock()
            .await
            .workers
            .iter()
            .flat_map(|w| w.topics.iter().cloned())
            .collect()
    }

    /// How many channels are open.
    pub async fn channels(&self) -> usize {
        self.state.lock().await.workers.len()
    }

    /// Closes every channel's socket and waits for their tasks; the stream then ends once its
    /// buffered items are read.
    pub async fn close(&self) {
        let workers = {
            let mut state = self.state.lock().await;
            state.link = None;
            std::mem::take(&mut state.workers)
        };
        shut_down(workers).await;
    }

    fn decoders(&self) -> std::sync::RwLockWriteGuard<'_, Decoders> {
        self.decoders.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// Asks `worker` to subscribe exactly `topics`; records them once the service has.
async fn set(worker: &mut WorkerHandle, topics: Vec<String>) -> Result<(), NotifyError> {
    let (reply, answer) = oneshot::channel();
    worker
        .commands
        .send(Command::Set(topics.clone(), reply))
        .map_err(|_| NotifyError::Closed)?;
    answer.await.map_err(|_| NotifyError::Closed)??;
    worker.topics = topics;
    Ok(())
}

/// A running subscription: a [`Stream`](futures_util::Stream) of [`Event`]s, and the handle
/// that changes its topics or closes it.
pub struct Subscription {
    events: mpsc::Receiver<Event>,
    control: Control,
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription").finish_non_exhaustive()
    }
}

impl Subscription {
    /// The next item; `None` once the subscription is closed and its buffer read.
    pub async fn next_event(&mut self) -> Option<Event> {
        self.events.recv().await
    }

    /// A handle to change the topics or close the subscription from elsewhere.
    pub fn control(&self) -> Control {
        self.control.clone()
    }

    /// See [`Control::add`].
    ///
    /// # Errors
    ///
    /// See [`Control::add`].
    pub async fn add<T: DeserializeOwned + Send + Sync + 'static>(
        &self,
        topic: &Topic<T>,
    ) -> Result<(), NotifyError> {
        self.control.add(topic).await
    }

    /// See [`Control::remove`].
    ///
    /// # Errors
    ///
    /// See [`Control::remove`].
    pub async fn remove<T>(&self, topic: &Topic<T>) -> Result<bool, NotifyError> {
        self.control.remove(topic).await
    }

    /// The topics subscribed to.
    pub async fn topics(&self) -> Vec<String> {
        self.control.topics().await
    }

    /// Closes every socket and waits for the channels' tasks.
    pub async fn close(self) {
        self.control.close().await;
    }
}

impl futures_util::Stream for Subscription {
    type Item = Event;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        self.events.poll_recv(cx)
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        // Dropping the workers' command senders stops them; a worker busy with `add` or
        // `remove` right now stops at its next event, when it finds nobody reading.
        if let Ok(mut state) = self.control.state.try_lock() {
            state.link = None;
            state.workers.clear();
        }
    }
}
