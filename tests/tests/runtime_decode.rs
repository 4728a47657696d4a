//! The decode path of the runtime against the generated Genesys models: no body, however
//! malformed or mistyped, panics the decoder, and errors name the JSON path.

use genesys_cloud_client::runtime::{Error, decode};
use proptest::prelude::*;

type E = genesys_cloud_client::genesys_cloud::models::ErrorBody;

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map_or(serde_json::Value::Null, serde_json::Value::Number)),
        "[a-zA-Z0-9 _:-]{0,12}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        let keys = prop_oneof![
            Just("entities".to_owned()),
            Just("name".to_owned()),
            Just("pageCount".to_owned()),
            Just("permissions".to_owned()),
            Just("manager".to_owned()),
            Just("division".to_owned()),
            "[a-z]{1,8}"
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(keys, inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    /// No response body, however malformed or mistyped, panics the decoder: it is a value or a
    /// decode error naming the operation.
    #[test]
    fn decoding_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        use genesys_cloud_client::genesys_cloud::models::{OrganizationRoleEntityListing, User};
        for e in [decode::<OrganizationRoleEntityListing, E>("op", &bytes).err(), decode::<User, E>("op", &bytes).err()].into_iter().flatten() {
            let is_decode = matches!(e, Error::Decode { operation: "op", .. });
            prop_assert!(is_decode, "not a decode error");
        }
    }

    #[test]
    fn decoding_never_panics_on_arbitrary_json(value in json_value()) {
        use genesys_cloud_client::genesys_cloud::models::{AuthzSubject, OrganizationRoleEntityListing, User};
        let bytes = serde_json::to_vec(&value).unwrap();
        let _ = decode::<OrganizationRoleEntityListing, E>("op", &bytes);
        let _ = decode::<User, E>("op", &bytes);
        let _ = decode::<AuthzSubject, E>("op", &bytes);
        let _ = decode::<Vec<String>, E>("op", &bytes);
        let _ = decode::<i32, E>("op", &bytes);
    }
}

#[test]
fn decode_errors_name_the_json_path() {
    use genesys_cloud_client::genesys_cloud::models::OrganizationRoleEntityListing;
    let e = decode::<OrganizationRoleEntityListing, E>(
        "op",
        br#"{"entities": [{}, {"userCount": "x"}]}"#,
    )
    .unwrap_err();
    let Error::Decode { path, .. } = e else {
        panic!()
    };
    assert_eq!(path, "entities[1].userCount");
    let e =
        decode::<OrganizationRoleEntityListing, E>("op", b"{\"total\": 1} trailing").unwrap_err();
    assert!(matches!(e, Error::Decode { .. }));
    assert!(decode::<OrganizationRoleEntityListing, E>("op", b"").is_err());
}
