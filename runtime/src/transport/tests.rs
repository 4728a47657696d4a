//! Unit tests of the transport: path encoding, request preparation, retries.

use super::*;
use crate::metadata::OperationInfo;

#[test]
fn path_segments_cannot_escape() {
    let enc = |v| encode_path_segment(v, "id");
    assert_eq!(enc("a/b").unwrap(), "a%2Fb");
    assert_eq!(enc("x?y#z%").unwrap(), "x%3Fy%23z%25");
    assert_eq!(enc("a b").unwrap(), "a%20b");
    assert_eq!(enc("ok-id_1.2~").unwrap(), "ok-id_1.2~");
    assert_eq!(enc("...").unwrap(), "...");
    for refused in ["", ".", ".."] {
        assert!(enc(refused).is_err(), "{refused:?}");
    }
}

static SCHEME: AuthScheme = AuthScheme::new("Authorization", "Bearer ", &[], None);
static POST: OperationInfo = OperationInfo::new(
    "demo",
    "things",
    "post_thing",
    Method::Post,
    "/things",
    crate::Requirement::None,
);

/// A transport to a port nothing listens on: a call that got as far as sending would fail
/// with a connection error instead of the one asserted.
fn nowhere() -> Transport {
    TransportBuilder::new("http://127.0.0.1:9", &SCHEME)
        .access_token("t")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_call_that_cannot_be_built_fails_before_sending() {
    let refused = encode_path_segment("..", "thing_id").map(|path| Request::new(&POST, path));
    let e = nowhere().call_empty::<()>(refused).await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidPath(InvalidPathSegment {
                parameter: "thing_id",
                ..
            })
        ),
        "{e:?}"
    );

    let mut request = Request::new(&POST, "/things".into());
    request.json(&std::collections::HashMap::from([((1, 2), 3)]));
    let e = nowhere()
        .call_json::<serde_json::Value, ()>(Ok(request))
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Encode {
                operation: "post_thing",
                ..
            }
        ),
        "{e:?}"
    );

    let mut request = Request::new(&POST, "/things".into());
    request.json(&serde_json::json!({"a": 1}));
    let e = nowhere()
        .call_json::<serde_json::Value, ()>(Ok(request))
        .await
        .unwrap_err();
    assert!(
        !matches!(e, Error::Encode { .. } | Error::InvalidPath(_)),
        "a body that encodes is sent: {e:?}"
    );
}

#[tokio::test]
async fn a_header_value_that_cannot_be_sent_fails_before_sending() {
    for refused in ["a\r\nX-Injected: 1", "caf\u{e9}", "\u{7f}"] {
        let mut request = Request::new(&POST, "/things".into());
        request.header("If-Match", &"\"1\"");
        request.header("If-Match", &refused);
        assert_eq!(request.headers().count(), 1, "{refused:?} is not kept");
        let e = nowhere().call_empty::<()>(Ok(request)).await.unwrap_err();
        match e {
            Error::InvalidHeader {
                operation: "post_thing",
                refused:
                    InvalidHeader {
                        header: "If-Match",
                        value,
                    },
            } => {
                assert_eq!(value, refused);
            }
            other => panic!("{refused:?}: {other:?}"),
        }
    }
    let mut request = Request::new(&POST, "/things".into());
    request.header("X-Journey-Session-Id", &"W/\"a b\"\t7");
    assert_eq!(
        request.headers().collect::<Vec<_>>(),
        [("x-journey-session-id", &b"W/\"a b\"\t7"[..])]
    );
    let e = nowhere().call_empty::<()>(Ok(request)).await.unwrap_err();
    assert!(
        !matches!(e, Error::InvalidHeader { .. }),
        "a valid header value is sent: {e:?}"
    );
}

#[test]
fn text_bodies_are_returned_as_they_arrived() {
    let text = "BEGIN:VCALENDAR\r\nSUMMARY:Caf\u{e9}\r\n";
    assert_eq!(
        decode_text::<()>("op", text.as_bytes().to_vec()).unwrap(),
        text
    );
    let e = decode_text::<()>("op", vec![b'a', 0xff]).unwrap_err();
    assert!(
        matches!(e, Error::Decode { operation: "op", ref path, .. } if path == "."),
        "{e:?}"
    );
}
