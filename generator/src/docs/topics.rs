//! The notification topics of a release (`notificationMappings.json` in the SDK repository's
//! root): each topic template with the model its events carry.
//!
//! The vendor writes every parameter `{id}`; the spec names them (`{user_id}`), so templates are
//! compared by their shape (`v2.users.{}.presence`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use heck::ToSnakeCase;
use serde::Deserialize;

use super::report::{DocsReport, Finding, Severity};
use crate::spec::Spec;
use crate::spec::format::Topic;

/// One topic as the vendor maps it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Mapping {
    /// The template (`v2.users.{id}.presence`).
    pub topic: String,
    /// The model its events carry (`PresenceEventUserPresence`).
    #[serde(rename = "class")]
    pub payload: String,
}

#[derive(Deserialize)]
struct File {
    notifications: Vec<Mapping>,
}

/// The file's name, in the folder that holds `docs/`.
pub const FILE: &str = "notificationMappings.json";

/// The release's topics, when the folder has the mapping file.
///
/// # Errors
///
/// When the file exists but cannot be read or is not the vendor's format.
pub fn read(dir: &Path) -> Result<Option<Vec<Mapping>>, String> {
    let path = dir.join(FILE);
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file: File =
        serde_json::from_str(&text).map_err(|e| format!("{}:{}: {e}", path.display(), e.line()))?;
    Ok(Some(file.notifications))
}

/// A template's shape: every parameter written `{}`.
pub fn shape(template: &str) -> String {
    template
        .split('.')
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                "{}"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The area a topic belongs to: its first segment after `v2` (`users`).
pub fn area(template: &str) -> Option<&str> {
    template
        .strip_prefix("v2.")
        .and_then(|rest| rest.split('.').next())
        .filter(|s| !s.starts_with('{'))
}

/// The template with each parameter named after the segment before it, singular
/// (`v2.users.{id}.conversations.{id}` → `v2.users.{user_id}.conversations.{conversation_id}`);
/// a name taken earlier in the template gets `_2`, `_3`.
pub fn named(template: &str) -> String {
    let mut taken: Vec<String> = Vec::new();
    let mut previous = "topic";
    let mut out = Vec::new();
    for segment in template.split('.') {
        if segment.starts_with('{') && segment.ends_with('}') {
            let base = format!("{}_id", singular(previous).to_snake_case());
            let mut name = base.clone();
            let mut n = 2;
            while taken.contains(&name) {
                name = format!("{base}_{n}");
                n += 1;
            }
            taken.push(name.clone());
            out.push(format!("{{{name}}}"));
        } else {
            previous = segment;
            out.push(segment.to_owned());
        }
    }
    out.join(".")
}

fn singular(word: &str) -> &str {
    if word.ends_with("ss") || word.ends_with("us") {
        word
    } else {
        word.strip_suffix('s')
            .filter(|w| !w.is_empty())
            .unwrap_or(word)
    }
}

/// The constructor's name: the template's literal segments after `v2`, without the group's own
/// area (`v2.users.{id}.presence` in the users group is `presence`).
pub fn constructor_name(template: &str, group_area: Option<&str>) -> String {
    let mut literal: Vec<&str> = template
        .split('.')
        .skip(1)
        .filter(|s| !s.starts_with('{'))
        .collect();
    if literal.len() > 1 && group_area.is_some() && literal.first().copied() == group_area {
        literal.remove(0);
    }
    literal
        .iter()
        .map(|s| s.to_snake_case())
        .collect::<Vec<_>>()
        .join("_")
}

/// The spec's topics against the release's mapping, by template shape (the spec names the
/// parameters the vendor writes `{id}`).
pub(super) fn compare(spec: &Spec, mappings: &[Mapping], report: &mut DocsReport) {
    let held: BTreeMap<String, (&str, &Topic)> = spec
        .services
        .iter()
        .flat_map(|s| &s.groups)
        .flat_map(|g| {
            g.value
                .topics
                .iter()
                .map(move |t| (shape(&t.topic), (g.value.group.as_str(), t)))
        })
        .collect();
    let mut finding = |subject: String, message: String| {
        report.findings.push(Finding {
            severity: Severity::Difference,
            source: FILE.into(),
            subject,
            message,
        });
    };
    for m in mappings {
        match held.get(&shape(&m.topic)) {
            None => finding(
                format!("topic {}", m.topic),
                format!(
                    "topic `{}` (events carry `{}`) is not in the spec",
                    m.topic, m.payload
                ),
            ),
            Some((group, t)) if t.payload != m.payload => finding(
                format!("{group}.topics.{}", t.name),
                format!(
                    "topic `{}` carries `{}`, the spec says `{}`",
                    m.topic, m.payload, t.payload
                ),
            ),
            Some(_) => {}
        }
    }
    let mapped: BTreeSet<String> = mappings.iter().map(|m| shape(&m.topic)).collect();
    for (shape, (group, t)) in &held {
        if !mapped.contains(shape) && t.undocumented_since.is_none() {
            finding(
                format!("{group}.topics.{}", t.name),
                format!("topic `{}` is in the spec but not in the mapping", t.topic),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_named_after_the_segment_before_them() {
        assert_eq!(
            named("v2.users.{id}.presence"),
            "v2.users.{user_id}.presence"
        );
        assert_eq!(
            named("v2.users.{id}.conversations.{id}.recordings.{id}"),
            "v2.users.{user_id}.conversations.{conversation_id}.recordings.{recording_id}"
        );
        assert_eq!(
            named("v2.system.{id}.{id}"),
            "v2.system.{system_id}.{system_id_2}"
        );
        assert_eq!(
            named("v2.routing.queues.{id}.status"),
            "v2.routing.queues.{queue_id}.status"
        );
        assert_eq!(
            named("v2.audits.entitytype.{id}.entityid.{id}"),
            "v2.audits.entitytype.{entitytype_id}.entityid.{entityid_id}"
        );
        assert_eq!(
            named("v2.x.address.{id}"),
            "v2.x.address.{address_id}",
            "a double s stays"
        );
        assert_eq!(shape("v2.users.{user_id}.presence"), "v2.users.{}.presence");
    }

    #[test]
    fn constructors_are_named_within_their_group() {
        assert_eq!(
            constructor_name("v2.users.{user_id}.presence", Some("users")),
            "presence"
        );
        assert_eq!(
            constructor_name("v2.users.{user_id}.presence", None),
            "users_presence"
        );
        assert_eq!(
            constructor_name("v2.users", Some("users")),
            "users",
            "never empty"
        );
        assert_eq!(
            constructor_name("v2.detail.events.conversation.{id}.acw", Some("users")),
            "detail_events_conversation_acw"
        );
        assert_eq!(
            constructor_name("v2.users.{id}.routingStatus", Some("users")),
            "routing_status"
        );
        assert_eq!(
            (area("v2.users.{id}.presence"), area("v2.{id}"), area("x")),
            (Some("users"), None, None)
        );
    }
}
