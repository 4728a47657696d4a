//! A small valid spec in a temporary folder, for tests that break or change one thing.

#![allow(dead_code)]

pub mod import_fixture;

use api_codegen::diagnostic::{Diagnostic, Report};
use api_codegen::spec;

pub const SERVICE: &str = "\
service: demo
title: Demo API
description: A demo.
hosts:
  default: prod
  list:
  - name: prod
    url: https://api.example.com
auth:
  token_header:
    name: Authorization
    prefix: 'Bearer '
  flows:
  - grant: client_credentials
    description: Client credentials.
    token_url: https://{host}/oauth/token
    client_authentication: basic
authorization: permissions
errors:
  body: ErrorBody
";

pub const GROUP: &str = "\
group: things
description: Things.
operations:
- name: get_thing
  method: GET
  path: /things/{thingId}
  summary: Get a thing
  requires:
    any:
    - things:thing:view
  parameters:
  - name: thing_id
    wire_name: thingId
    in: path
    type: string
    required: true
  - name: page_size
    wire_name: pageSize
    in: query
    type: int32
    default: 25
  - name: kind
    wire_name: kind
    in: query
    type: string
    enum: [A, B]
    default: A
  returns: Thing
  legacy_names: [get_things_thing_id]
";

pub const THING: &str = "\
name: Thing
fields:
  id:
    type: string
    required: true
  owner:
    type: Thing
  tags:
    type: list<string>
";

pub const ERROR_BODY: &str = "\
name: ErrorBody
fields:
  message:
    type: string
";

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        let f = Fixture {
            dir: tempfile::tempdir().unwrap(),
        };
        f.write("demo/service.yaml", SERVICE);
        f.write("demo/groups/things.yaml", GROUP);
        f.write("demo/models/Thing.yaml", THING);
        f.write("demo/models/ErrorBody.yaml", ERROR_BODY);
        f
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Replaces `from` with `to` in a file; the text must occur.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let p = self.dir.path().join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "fixture {rel} lacks {from:?}");
        std::fs::write(p, text.replacen(from, to, 1)).unwrap();
    }

    pub fn load(&self) -> Result<spec::Spec, Report> {
        spec::load(self.dir.path())
    }

    pub fn errors(&self) -> Vec<Diagnostic> {
        match self.load() {
            Ok(_) => panic!("the broken spec was accepted"),
            Err(r) => r.diagnostics,
        }
    }

    /// The only error; fails if there are more or none.
    pub fn error(&self) -> Diagnostic {
        let mut e = self.errors();
        assert_eq!(e.len(), 1, "expected one error, got: {e:#?}");
        e.remove(0)
    }
}

/// The emitter's settings for a client crate, as the repository names its crates.
pub fn options() -> api_codegen::emit::Options {
    api_codegen::emit::Options::client("genesys_cloud_client", "api_runtime")
}
