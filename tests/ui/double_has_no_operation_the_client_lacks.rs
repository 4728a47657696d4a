// A double has one method per operation of the group, as the client does: a test cannot
// script an operation the client never sends.
use integration_tests::obstacle_course::double::MockApi;

fn script(mock: &MockApi) {
    mock.things().get_user().answer_once(Default::default());
}

fn main() {}
