//! Notification topics: a topic name filled in from its template, typed by the model its
//! events carry, so that a subscription knows what each event decodes as.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// What a topic parameter keeps as it is: letters, digits, `-`, `_` and `~`. A `.` separates
/// the topic's segments, so it is encoded like everything else.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'~');

/// One parameter of a topic as one segment: percent-encoded, so that a value containing `.`
/// cannot change which topic is named.
pub fn topic_segment(value: &str) -> String {
    utf8_percent_encode(value, SEGMENT).to_string()
}

/// A notification topic (`v2.users.{id}.presence` filled in), whose events carry `T`.
///
/// Built by the generated constructors (`topics::users::presence(&user_id)`); `T` is only a
/// marker: a topic holds its name and nothing else.
pub struct Topic<T> {
    name: String,
    payload: PhantomData<fn() -> T>,
}

impl<T> Topic<T> {
    /// A topic by its full name. The generated constructors are the usual way: they fill the
    /// template in and encode each parameter with [`topic_segment`].
    pub fn new(name: String) -> Self {
        Topic {
            name,
            payload: PhantomData,
        }
    }

    /// The topic's name, as subscribed to and as events name it.
    pub fn name(&self) -> &str {
        &self.name
    }
}

// By hand: the derives would require `T` to implement each trait, and `T` is only a marker.
impl<T> Clone for Topic<T> {
    fn clone(&self) -> Self {
        Topic::new(self.name.clone())
    }
}

impl<T> fmt::Debug for Topic<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Topic").field(&self.name).finish()
    }
}

impl<T> fmt::Display for Topic<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl<T> PartialEq for Topic<T> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl<T> Eq for Topic<T> {}

impl<T> Hash for Topic<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Presence;

    #[test]
    fn a_parameter_is_one_segment_whatever_it_holds() {
        assert_eq!(topic_segment("8f1c-4e_2~"), "8f1c-4e_2~");
        assert_eq!(topic_segment("a.b"), "a%2Eb");
        assert_eq!(topic_segment("a b/é*"), "a%20b%2F%C3%A9%2A");
        let t: Topic<Presence> = Topic::new(format!("v2.users.{}.presence", topic_segment("u.1")));
        assert_eq!(t.name(), "v2.users.u%2E1.presence");
        assert_eq!(t.to_string(), t.name());
        assert_eq!(format!("{t:?}"), "Topic(\"v2.users.u%2E1.presence\")");
        assert_eq!(
            t.clone(),
            t,
            "cloned and compared without `Presence` doing either"
        );
        let other: Topic<Presence> = Topic::new("v2.users.u2.presence".into());
        assert_ne!(t, other);
        let hash = |t: &Topic<Presence>| {
            std::hash::BuildHasher::hash_one(&std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default(), t)
        };
        assert_eq!(hash(&t), hash(&t.clone()));
        assert_ne!(hash(&t), hash(&other), "the name is hashed");
        let set: std::collections::HashSet<Topic<Presence>> =
            [t.clone(), t, other].into_iter().collect();
        assert_eq!(set.len(), 2);
    }
}
