//! The typed promises, held by the compiler: code that describes a request the client never
//! sends, leaves out a required argument or passes a wrong value for an enum parameter does not
//! compile, with the message a user needs (`tests/ui/*.stderr`). Built against the fixture
//! clients (`tests/src`), which the generator emits as it emits the real client.
//!
//! After a deliberate change to the messages (a new compiler, a new generated signature), run
//! with `TRYBUILD=overwrite` and review the `.stderr` diffs.

#[test]
fn typed_promises_fail_to_compile_when_broken() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}
