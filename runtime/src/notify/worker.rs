//! One channel's life: its connection served, pinged and watched, renewed, and reconnected
//! with backoff when it ends, until the subscription shuts it down.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, sleep_until};
use tokio_tungstenite::tungstenite::Message;

use super::channel::{self, Channel, ChannelOperations, Limits, NotifyError, Socket};
use super::event::{Decoders, Disconnect, Event, Frame, read_frame};
use crate::transport::Transport;

/// The client's keep-alive message, answered by the service on `channel.metadata`.
const PING: &str = r#"{"message":"ping"}"#;

/// How a subscription's connections are held; set with the `Subscriber`'s methods.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) buffer: usize,
    pub(crate) ping_every: Duration,
    pub(crate) dead_after: Duration,
    pub(crate) backoff_min: Duration,
    pub(crate) backoff_max: Duration,
    pub(crate) renew_every: Duration,
    pub(crate) limits: Arc<Limits>,
}

/// What every channel's worker shares: where to call, how, and where events go.
#[derive(Clone)]
pub(crate) struct Link {
    pub(crate) transport: Transport,
    pub(crate) ops: &'static ChannelOperations,
    pub(crate) settings: Settings,
    pub(crate) decoders: Arc<RwLock<Decoders>>,
    pub(crate) outbox: Outbox,
}

/// The stream's sending side, with the policy for a full buffer: the event is dropped and
/// counted, and the count is delivered as [`Event::Lagged`] before the next event that fits.
#[derive(Clone)]
pub(crate) struct Outbox {
    pub(crate) events: mpsc::Sender<Event>,
    pub(crate) missed: Arc<AtomicU64>,
}

impl Outbox {
    /// Delivers `event`, or counts it when the buffer is full. `false` when nobody reads the
    /// stream any more.
    pub(crate) fn deliver(&self, event: Event) -> bool {
        let missed = self.missed.swap(0, Ordering::AcqRel);
        if missed > 0 {
            match self.events.try_send(Event::Lagged { missed }) {
                Ok(()) => {}
                Err(mpsc::error::TrySendError::Full(_)) => {
                    self.missed.fetch_add(missed + 1, Ordering::AcqRel);
                    return true;
                }
                Err(mpsc::error::TrySendError::Closed(_)) => return false,
            }
        }
        match self.events.try_send(event) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.missed.fetch_add(1, Ordering::AcqRel);
                true
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }
}

/// What the subscription asks of a channel's worker.
pub(crate) enum Command {
    /// Subscribe the channel to exactly these topics; answer when the service has.
    Set(Vec<String>, oneshot::Sender<Result<(), NotifyError>>),
}

/// Why serving a connection stopped.
enum Ended {
    /// The subscription is shut down, or nobody reads the stream.
    Shutdown,
    /// The connection is lost; the worker reconnects.
    Lost(Disconnect),
}

/// One channel's worker.
pub(crate) struct Worker {
    link: Link,
    channel: Option<Channel>,
    /// The id of the channel last used, for the events that name it.
    channel_id: String,
    topics: Vec<String>,
    commands: mpsc::UnboundedReceiver<Command>,
}

/// Subscribes `channel` (or a new channel) to `topics` and connects to it: a worker's first
/// connection, whose failure is the caller's error. Rejected topics are delivered as events.
pub(crate) async fn open(
    link: &Link,
    channel: Option<Channel>,
    topics: &[String],
) -> Result<(Channel, Socket), NotifyError> {
    let channel = match channel {
        Some(channel) => channel,
        None => channel::create(&link.transport, link.ops).await?,
    };
    let rejected = channel::subscribe(&link.transport, link.ops, &channel.id, topics).await?;
    deliver_rejections(&link.outbox, rejected);
    let socket =
        channel::connect(&link.transport, link.ops, &channel, &link.settings.limits).await?;
    Ok((channel, socket))
}

fn deliver_rejections(outbox: &Outbox, rejected: Vec<(String, String)>) {
    for (topic, reason) in rejected {
        outbox.deliver(Event::Rejected { topic, reason });
    }
}

impl Worker {
    pub(crate) fn new(
        link: Link,
        channel: Channel,
        topics: Vec<String>,
        commands: mpsc::UnboundedReceiver<Command>,
    ) -> Self {
        Worker {
            link,
            channel_id: channel.id.clone(),
            channel: Some(channel),
            topics,
            commands,
        }
    }

    /// Serves `socket`, then every connection after it, until shut down.
    pub(crate) async fn run(mut self, socket: Socket) {
        let mut socket = Some(socket);
        let mut backoff = self.backoff();
        loop {
            let current = match socket.take() {
                Some(current) => current,
                None => match self.reconnect().await {
                    Ok((current, new_channel)) => {
                        backoff = self.backoff();
                        let channel = self.channel_id.clone();
                        if !self.link.outbox.deliver(Event::Reconnected {
                            channel,
                            new_channel,
                        }) {
                            return;
                        }
                        current
                    }
                    Err(e) => {
                        let retry_in = backoff.next().unwrap_or(self.link.settings.backoff_max);
                        let channel = self.channel.as_ref().map(|c| c.id.clone());
                        let failed = Event::ReconnectFailed {
                            channel,
                            error: e.to_string(),
                            retry_in,
                        };
                        if !self.link.outbox.deliver(failed)
                            || self.pause(retry_in).await.is_break()
                        {
                            return;
                        }
                        continue;
                    }
                },
            };
            match self.serve(current).await {
                Ended::Shutdown => return,
                Ended::Lost(reason) => {
                    tracing::debug!(channel = %self.channel_id, %reason, "notification channel disconnected");
                    if reason == Disconnect::ChannelGone {
                        self.channel = None;
                    }
                    let channel = self.channel_id.clone();
                    if !self
                        .link
                        .outbox
                        .deliver(Event::Disconnected { channel, reason })
                    {
                        return;
                    }
                }
            }
        }
    }

    fn backoff(&self) -> impl Iterator<Item = Duration> + use<> {
        let settings = &self.link.settings;
        ExponentialBuilder::default()
            .with_min_delay(settings.backoff_min)
            .with_max_delay(settings.backoff_max)
            .with_jitter()
            .without_max_times()
            .build()
    }

    /// Subscribes and connects again, on a new channel when the old one is gone. `true` with
    /// the socket when the channel is new.
    async fn reconnect(&mut self) -> Result<(Socket, bool), NotifyError> {
        let link = &self.link;
        let (channel, new_channel) = match self.channel.take() {
            Some(channel) => (channel, false),
            None => (channel::create(&link.transport, link.ops).await?, true),
        };
        self.channel_id.clone_from(&channel.id);
        match open(link, Some(channel.clone()), &self.topics).await {
            Ok((channel, socket)) => {
                self.channel = Some(channel);
                Ok((socket, new_channel))
            }
            Err(e) => {
                // A channel that is gone is replaced at the next attempt; any other failure
                // keeps it (its subscriptions are still on the service).
                if !e.is_channel_gone() {
                    self.channel = Some(channel);
                }
                Err(e)
            }
        }
    }

    /// Waits `delay` before the next attempt, taking commands meanwhile: a new topic set is
    /// kept and subscribed at the next connection.
    async fn pause(&mut self, delay: Duration) -> ControlFlow<()> {
        let until = Instant::now() + delay;
        loop {
            tokio::select! {
                () = sleep_until(until) => return ControlFlow::Continue(()),
                command = self.commands.recv() => match command {
                    None => return ControlFlow::Break(()),
                    Some(Command::Set(topics, reply)) => {
                        self.topics = topics;
                        let _ = reply.send(Ok(()));
                    }
                },
            }
        }
    }

    /// Serves one connection: delivers its events, pings, watches for silence, renews the
    /// channel and applies new topic sets, until it ends.
    async fn serve(&mut self, socket: Socket) -> Ended {
        let settings = self.link.settings.clone();
        let (mut sink, mut stream) = socket.split();
        let mut ping =
            tokio::time::interval_at(Instant::now() + settings.ping_every, settings.ping_every);
        ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut silent_until = Instant::now() + settings.dead_after;
        let mut renew_at = Instant::now() + settings.renew_every;
        let ended = loop {
            tokio::select! {
                frame = stream.next() => {
                    silent_until = Instant::now() + settings.dead_after;
                    if let Some(ended) = self.receive(frame) {
                        break ended;
                    }
                }
                _ = ping.tick() => {
                    if let Err(e) = sink.send(Message::text(PING)).await {
                        break Ended::Lost(Disconnect::Failed(e.to_string()));
                    }
                }
                () = sleep_until(silent_until) => break Ended::Lost(Disconnect::Silent(settings.dead_after)),
                () = sleep_until(renew_at) => match self.renew().await {
                    Ok(next) => renew_at = next,
                    Err(ended) => break ended,
                },
                command = self.commands.recv() => {
                    if let Some(ended) = self.command(command).await {
                        break ended;
                    }
                }
            }
        };
        // A clean close where the connection still works; bounded, so shutdown never hangs.
        let _ = tokio::time::timeout(Duration::from_secs(1), sink.close()).await;
        ended
    }

    /// What a frame from the socket does: delivered, a heartbeat, or the end of the connection.
    fn receive(
        &self,
        frame: Option<Result<Message, tokio_tungstenite::tungstenite::Error>>,
    ) -> Option<Ended> {
        let message = match frame {
            None | Some(Ok(Message::Close(_))) => return Some(Ended::Lost(Disconnect::Closed)),
            Some(Err(e)) => return Some(Ended::Lost(Disconnect::Failed(e.to_string()))),
            Some(Ok(message)) => message,
        };
        let frame = match message {
            Message::Text(text) => read_frame(
                text.as_str(),
                &self.link.decoders.read().unwrap_or_else(|e| e.into_inner()),
            ),
            Message::Binary(bytes) => Frame::Deliver(Event::Malformed {
                frame: String::from_utf8_lossy(&bytes).into_owned(),
                error: "a binary frame: the service sends text".to_owned(),
            }),
            _ => Frame::Heartbeat,
        };
        match frame {
            Frame::Heartbeat => {}
            Frame::SocketClosing => return Some(Ended::Lost(Disconnect::SocketClosing)),
            Frame::Deliver(event) => {
                if !self.link.outbox.deliver(event) {
                    return Some(Ended::Shutdown);
                }
            }
        }
        None
    }

    /// Renews the channel: the next renewal's time, or the end of a connection whose channel is
    /// gone. Another failure is tried again soon, well before expiry.
    async fn renew(&mut self) -> Result<Instant, Ended> {
        let settings = &self.link.settings;
        let (renew_every, backoff_max) = (settings.renew_every, settings.backoff_max);
        match self.resubscribe().await {
            Ok(()) => Ok(Instant::now() + renew_every),
            Err(e) if e.is_channel_gone() => Err(Ended::Lost(Disconnect::ChannelGone)),
            Err(_) => Ok(Instant::now() + backoff_max.min(renew_every)),
        }
    }

    /// A command from the subscription: a new topic set (kept only when the channel took it),
    /// or the end of the subscription.
    async fn command(&mut self, command: Option<Command>) -> Option<Ended> {
        match command {
            None => Some(Ended::Shutdown),
            Some(Command::Set(topics, reply)) => {
                let previous = std::mem::replace(&mut self.topics, topics);
                let result = self.resubscribe().await;
                if result.is_err() {
                    self.topics = previous;
                }
                let gone = result.as_ref().is_err_and(NotifyError::is_channel_gone);
                let _ = reply.send(result);
                if gone {
                    return Some(Ended::Lost(Disconnect::ChannelGone));
                }
                None
            }
        }
    }

    /// Sets the channel's subscriptions to the worker's topics (which renews the channel).
    async fn resubscribe(&mut self) -> Result<(), NotifyError> {
        let link = &self.link;
        let rejected =
            channel::subscribe(&link.transport, link.ops, &self.channel_id, &self.topics).await?;
        deliver_rejections(&link.outbox, rejected);
        Ok(())
    }
}
