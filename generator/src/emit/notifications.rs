//! A service's managed notification subscription (cargo feature `notifications`): the channel
//! operations as data for the runtime's `notify` module, `Client::notifications_stream`, and
//! the streaming double.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{Options, doc, ident};
use crate::ir::{Notifications, Service, TopicSegment};

/// The cargo feature that compiles notifications (the WebSocket stack with them).
pub const FEATURE: &str = "notifications";

/// The `#[cfg]` of everything here: notifications, and the group of the channel operations.
fn gate(feature: &str) -> TokenStream {
    let predicate = quote!(all(feature = #FEATURE, feature = #feature));
    quote!(#[cfg(#predicate)] #[cfg_attr(docsrs, doc(cfg(#predicate)))])
}

/// Items of the service module: the channel operations and the client's subscriber.
pub(super) fn root(s: &Service, options: &Options) -> Option<TokenStream> {
    let n = s.notifications.as_ref()?;
    let runtime = &options.runtime;
    let gate = gate(&n.feature);
    let (group, group_type) = (format_ident!("{}", n.group), ident(&n.group_type));
    let (create, set) = (
        format_ident!("{}", n.create),
        format_ident!("{}", n.set_topics),
    );
    let (per_channel, channels) = (n.topics_per_channel, n.channels);
    let ops_doc = doc(&format!(
        "The operations that manage the {}'s notification channels, and its limits: {per_channel} topics a channel, \
         {channels} channels at once.",
        s.title
    ));
    let method_doc = doc(&stream_doc(s, options));
    let (per_channel, channels) = (
        Literal::usize_unsuffixed(per_channel as usize),
        Literal::usize_unsuffixed(channels as usize),
    );
    Some(quote! {
        #gate
        #ops_doc
        pub static CHANNEL_OPERATIONS: #runtime::notify::ChannelOperations =
            #runtime::notify::ChannelOperations::new(&#group::#group_type::#create, &#group::#group_type::#set, #per_channel, #channels);

        #gate
        impl Client {
            #method_doc
            pub fn notifications_stream(&self) -> #runtime::notify::Subscriber {
                #runtime::notify::Subscriber::new(self.transport.clone(), &CHANNEL_OPERATIONS)
            }
        }
    })
}

/// `notifications_stream`'s documentation, with a complete example on a topic of the channel
/// operations' group (so the example compiles wherever the method does).
fn stream_doc(s: &Service, options: &Options) -> String {
    let Some(n) = &s.notifications else {
        return String::new();
    };
    let krate = &options.crate_name;
    // Links resolve from inside the crate; the example is a user's code, outside it.
    let link = options
        .runtime
        .to_string()
        .replace(' ', "")
        .trim_start_matches("::")
        .to_owned();
    let runtime = super::service::runtime_for_docs(options);
    let topics = if super::topics::any(s) {
        "[`topics`]"
    } else {
        "`topics`"
    };
    let (uses, subscribe, handle) = example_parts(s, n, krate);
    format!(
        "Subscribes to notification topics: one stream of typed events over channels the subscription creates, \
         subscribes, keeps alive, renews and reconnects (cargo feature `{FEATURE}`). Add topics with \
         [`topic`]({link}::notify::Subscriber::topic) (constructors in {topics}), then \
         [`start`]({link}::notify::Subscriber::start) it; the channels use this client's token source. \
         See [`runtime::notify`]({link}::notify) for the lifecycle and the buffering policy.\n\n\
         ```no_run\n{uses}\nuse {runtime}::notify::Event;\n\n\
         # async fn example(client: Client) -> Result<(), Box<dyn std::error::Error>> {{\n\
         {subscribe}\n\
         while let Some(event) = subscription.next_event().await {{\n    match event {{\n        {handle}\n        \
         Event::Disconnected {{ reason, .. }} => eprintln!(\"reconnecting: {{reason}}\"),\n        \
         other => eprintln!(\"{{other:?}}\"),\n    }}\n}}\n# Ok(())\n# }}\n```"
    )
}

/// The stream example's imports, subscription and event handling: with the group's first
/// topic when it has one.
fn example_parts(s: &Service, n: &Notifications, krate: &str) -> (String, String, String) {
    let module = &s.module;
    let topic = s
        .groups
        .iter()
        .find(|g| g.id == n.group)
        .and_then(|g| g.topics.first());
    match topic {
        Some(t) => {
            let args: Vec<String> = t
                .segments
                .iter()
                .filter_map(|seg| match seg {
                    TopicSegment::Param(p) => Some(format!("\"{}\"", p.word())),
                    TopicSegment::Literal(_) => None,
                })
                .collect();
            (
                format!("use {krate}::{module}::{{Client, topics}};"),
                format!(
                    "let topic = topics::{}::{}({});\nlet mut subscription = client.notifications_stream().topic(&topic).start().await?;",
                    n.group,
                    t.ident.word(),
                    args.join(", ")
                ),
                "Event::Notification(n) => match n.payload(&topic) {\n            Some(payload) => println!(\"{payload:?}\"),\n            \
                 None => println!(\"{}: {:?} ({:?})\", n.topic(), n.raw(), n.decode_error()),\n        },"
                    .to_owned(),
            )
        }
        None => (
            format!("use {krate}::{module}::Client;"),
            "let mut subscription = client.notifications_stream().start().await?;".to_owned(),
            "Event::Notification(n) => println!(\"{}: {:?}\", n.topic(), n.raw()),".to_owned(),
        ),
    }
}

/// Items of the service's `double` module: the streaming double.
pub(super) fn double(s: &Service, options: &Options) -> Option<TokenStream> {
    let n = s.notifications.as_ref()?;
    let runtime = &options.runtime;
    let gate = gate(&n.feature);
    let d = doc(&format!(
        "Starts a loopback double of the {}'s notifications: the channel operations and the streaming service. \
         Build the client with its [`uri`]({}::notify::double::StreamingDouble::uri) as the base URL.",
        s.title,
        options
            .runtime
            .to_string()
            .replace(' ', "")
            .trim_start_matches("::")
    ));
    Some(quote! {
        #gate
        #d
        pub async fn streaming() -> #runtime::notify::double::StreamingDouble {
            #runtime::notify::double::StreamingDouble::start(&super::CHANNEL_OPERATIONS).await
        }
    })
}
