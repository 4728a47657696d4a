// A parameter with documented values takes its enum: neither a string nor another enum.
use integration_tests::obstacle_course::Client;
use integration_tests::obstacle_course::things::SortOrder;

fn call(client: &Client) {
    let _text = client.things().get_thing("id").sort_order("ascending");
    let _other = client
        .things()
        .put_thing_kind("id", SortOrder::Ascending, "why", vec![]);
}

fn main() {}
