// A double scripts the answer of the request the client sends: `get_thing` returns a `Node`,
// so a test cannot make it answer with a `Weird`.
use integration_tests::obstacle_course::double::MockApi;
use integration_tests::obstacle_course::models::Weird;

fn script(mock: &MockApi, weird: &Weird) {
    mock.things().get_thing().returns(weird);
}

fn main() {}
