// The calls a double records carry the body as the operation's body type: `post_weird` sends a
// `Weird`, not a list of strings.
use integration_tests::obstacle_course::double::MockApi;

fn inspect(mock: &MockApi) -> Option<Vec<String>> {
    mock.things().post_weird().calls().pop()?.body
}

fn main() {}
