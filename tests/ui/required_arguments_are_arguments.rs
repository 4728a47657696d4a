// A required parameter is an argument of the operation's method: leaving it out does not
// compile (instead of failing at run time).
use integration_tests::obstacle_course::Client;

fn call(client: &Client) {
    let _request = client.things().get_thing();
}

fn main() {}
