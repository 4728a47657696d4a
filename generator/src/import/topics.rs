//! Merging the release's notification topics (`notificationMappings.json`) into the groups they
//! belong to.
//!
//! A topic belongs to the group whose operations' paths share its area (`v2.users.…` with the
//! group most of whose `/api/v2/users…` operations it holds); a topic of an area no group serves
//! goes to the Notifications API's group. Names, once given, stay: a topic the spec holds keeps
//! its constructor and parameter names, a topic the mapping dropped stays, marked.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, Import};
use crate::docs::topics::{Mapping, area, constructor_name, named, shape};
use crate::spec::format::{GroupFile, Topic};

/// The class whose group takes topics of an area no group serves.
const NOTIFICATIONS_CLASS: &str = "NotificationsApi";

/// The area of an operation's path: its first segment after the API's prefix
/// (`/api/v2/users/{userId}` → `users`).
fn path_area(path: &str) -> Option<&str> {
    let version = |s: &str| {
        s.strip_prefix('v')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    path.split('/')
        .find(|s| !s.is_empty() && *s != "api" && !version(s))
}

/// The group (by id) each mapping belongs to, among `all` (every group the spec will hold).
pub(super) fn owners<'a>(
    all: &[&'a GroupFile],
    mappings: &'a [Mapping],
) -> BTreeMap<&'a str, &'a str> {
    let fallback = all
        .iter()
        .find(|g| g.sdk_class.as_deref() == Some(NOTIFICATIONS_CLASS))
        .map(|g| g.group.as_str());
    let mut out = BTreeMap::new();
    for m in mappings {
        let served = area(&m.topic).and_then(|a| {
            let count = |g: &GroupFile| {
                g.operations
                    .iter()
                    .filter(|o| path_area(&o.path) == Some(a))
                    .count()
            };
            // The most operations; the first group in id order on a tie.
            all.iter()
                .map(|g| (count(g), std::cmp::Reverse(g.group.as_str())))
                .filter(|(n, _)| *n > 0)
                .max()
                .map(|(_, g)| g.0)
        });
        if let Some(group) = served.or(fallback) {
            out.insert(m.topic.as_str(), group);
        }
    }
    out
}

/// The topics of `group` after the merge: the mapping's that it owns, over the ones it holds.
pub(super) fn merge(
    group: &mut GroupFile,
    mappings: &[Mapping],
    owners: &BTreeMap<&str, &str>,
    dropped_in: &str,
    import: &mut Import,
) {
    let held: BTreeMap<String, Topic> = group
        .topics
        .iter()
        .map(|t| (shape(&t.topic), t.clone()))
        .collect();
    let mine: Vec<&Mapping> = mappings
        .iter()
        .filter(|m| owners.get(m.topic.as_str()) == Some(&group.group.as_str()))
        .collect();
    let mut names: BTreeSet<String> = held.values().map(|t| t.name.clone()).collect();
    let mut topics = Vec::new();
    let mut what = Vec::new();
    for m in &mine {
        match held.get(&shape(&m.topic)) {
            Some(t) => {
                if t.payload != m.payload {
                    what.push(format!(
                        "topic `{}` carries `{}` (was `{}`)",
                        t.name, m.payload, t.payload
                    ));
                }
                topics.push(Topic {
                    payload: m.payload.clone(),
                    undocumented_since: None,
                    ..t.clone()
                });
            }
            None => {
                let topic = new_topic(group, m, &mut names);
                what.push(format!("new topic `{}` ({})", topic.name, m.topic));
                topics.push(topic);
            }
        }
    }
    let documented: BTreeSet<String> = mine.iter().map(|m| shape(&m.topic)).collect();
    for (_, t) in held.into_iter().filter(|(s, _)| !documented.contains(s)) {
        topics.push(keep(t, dropped_in, &mut what));
    }
    topics.sort_by(|a, b| a.topic.cmp(&b.topic));
    group.topics = topics;
    if !what.is_empty() {
        import.changes.push(Change {
            subject: group
                .sdk_class
                .clone()
                .unwrap_or_else(|| group.group.clone()),
            what: format!("topics: {}", what.join("; ")),
        });
    }
}

/// A topic the group does not hold yet, named after its template (without the group's own
/// area, implied by the module its constructor lives in), unique among `names`.
fn new_topic(group: &GroupFile, m: &Mapping, names: &mut BTreeSet<String>) -> Topic {
    let template = named(&m.topic);
    let own = area(&m.topic).filter(|a| {
        group
            .operations
            .iter()
            .any(|o| path_area(&o.path) == Some(*a))
    });
    let base = constructor_name(&template, own);
    let mut name = base.clone();
    let mut n = 2;
    while names.contains(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    names.insert(name.clone());
    Topic {
        name,
        topic: template,
        payload: m.payload.clone(),
        description: String::new(),
        undocumented_since: None,
    }
}

/// A topic the mapping no longer lists: kept, marked with the release that dropped it.
fn keep(mut topic: Topic, dropped_in: &str, what: &mut Vec<String>) -> Topic {
    if topic.undocumented_since.is_none() {
        topic.undocumented_since = Some(dropped_in.to_owned());
        what.push(format!("topic `{}` no longer mapped: kept", topic.name));
    }
    topic
}
