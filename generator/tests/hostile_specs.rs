//! Hostile specs: arbitrary and mutated spec files through the whole pipeline (load → IR →
//! emit). Each run ends in located diagnostics or in output that parses as Rust: never a
//! panic, never an emitter error.

mod common;

use api_codegen::{emit, ir};
use common::{ERROR_BODY, Fixture, GROUP, SERVICE, THING};
use proptest::prelude::*;

/// Names that have broken generators: keywords (raw and not), names of the runtime's and the
/// builder pattern's items, prelude types, digits first, empty and odd characters.
const NASTY: &[&str] = &[
    "type",
    "self",
    "Self",
    "super",
    "crate",
    "match",
    "in",
    "override",
    "enum",
    "fn",
    "async",
    "r#type",
    "_",
    "__",
    "new",
    "send",
    "client",
    "builder",
    "build",
    "models",
    "into_future",
    "into_paginator",
    "transport",
    "with_page",
    "Duration",
    "Result",
    "Option",
    "String",
    "Vec",
    "Box",
    "Error",
    "Client",
    "Unknown",
    "UnknownValue",
    "Region",
    "2fa",
    "2fa_get",
    "9",
    "a-b",
    "a.b",
    "a b",
    "é",
    "ÄÖ",
    "x__y",
    "X",
    "x",
    "",
    " ",
    "-",
    "{",
    "}",
    "'",
    "\"",
    "#",
];

/// A spec name slot: the file it is in, the text to replace there, and, for a group or model
/// name, the file to rename along with it.
struct Slot {
    file: &'static str,
    from: &'static str,
    rename: Option<(&'static str, &'static str)>,
}

const SLOTS: &[Slot] = &[
    Slot {
        file: "demo/groups/things.yaml",
        from: "group: things",
        rename: Some(("demo/groups/things.yaml", "demo/groups/{}.yaml")),
    },
    Slot {
        file: "demo/groups/things.yaml",
        from: "name: get_thing",
        rename: None,
    },
    Slot {
        file: "demo/groups/things.yaml",
        from: "name: page_size",
        rename: None,
    },
    Slot {
        file: "demo/groups/things.yaml",
        from: "wire_name: pageSize",
        rename: None,
    },
    Slot {
        file: "demo/groups/things.yaml",
        from: "name: kind",
        rename: None,
    },
    Slot {
        file: "demo/groups/things.yaml",
        from: "[A, B]",
        rename: None,
    },
    Slot {
        file: "demo/groups/things.yaml",
        from: "things:thing:view",
        rename: None,
    },
    Slot {
        file: "demo/groups/things.yaml",
        from: "legacy_names: [get_things_thing_id]",
        rename: None,
    },
    Slot {
        file: "demo/models/Thing.yaml",
        from: "  owner:",
        rename: None,
    },
    Slot {
        file: "demo/models/Thing.yaml",
        from: "  tags:",
        rename: None,
    },
    Slot {
        file: "demo/models/ErrorBody.yaml",
        from: "  message:",
        rename: None,
    },
    Slot {
        file: "demo/models/Gadget.yaml",
        from: "name: Gadget",
        rename: Some(("demo/models/Gadget.yaml", "demo/models/{}.yaml")),
    },
    Slot {
        file: "demo/models/Gadget.yaml",
        from: "  state:",
        rename: None,
    },
    Slot {
        file: "demo/models/Gadget.yaml",
        from: "[on, off]",
        rename: None,
    },
    Slot {
        file: "demo/service.yaml",
        from: "name: Authorization",
        rename: None,
    },
    Slot {
        file: "demo/service.yaml",
        from: "prefix: 'Bearer '",
        rename: None,
    },
    Slot {
        file: "demo/service.yaml",
        from: "url: https://api.example.com",
        rename: None,
    },
    Slot {
        file: "demo/service.yaml",
        from: "name: prod",
        rename: None,
    },
    Slot {
        file: "demo/service.yaml",
        from: "token_url: https://{host}/oauth/token",
        rename: None,
    },
];

/// The replacement text for a slot: the slot's key with a nasty value.
fn substitute(slot: &Slot, value: &str) -> String {
    let quoted = format!("'{}'", value.replace('\'', "''"));
    match slot.from {
        "[A, B]" => format!("[{quoted}, B]"),
        "[on, off]" => format!("[{quoted}, off]"),
        "legacy_names: [get_things_thing_id]" => format!("legacy_names: [{quoted}]"),
        "things:thing:view" => quoted,
        "  owner:" | "  tags:" | "  message:" | "  state:" => format!("  {quoted}:"),
        from => format!("{}: {quoted}", from.split(": ").next().unwrap_or(from)),
    }
}

/// A model with an enum field beside the common fixture: its name and its field's name decide
/// the enum's (`GadgetState`), so they are slots too.
const GADGET: &str = "name: Gadget\nfields:\n  state:\n    type: string\n    enum: [on, off]\n  thing: {type: Thing}\n";

/// The common fixture and [`GADGET`].
fn fixture() -> Fixture {
    let f = Fixture::new();
    f.write("demo/models/Gadget.yaml", GADGET);
    f
}

/// Runs the whole pipeline; a panic fails the property, and so does an emitter error (code that
/// does not parse as Rust) or a diagnostic without a position.
fn pipeline(f: &Fixture) -> Result<(), TestCaseError> {
    match f.load() {
        Err(report) => {
            prop_assert!(!report.diagnostics.is_empty());
            for d in &report.diagnostics {
                prop_assert!(d.line >= 1 && d.column >= 1, "{d:?}");
            }
        }
        Ok(spec) => {
            let api = ir::build(&spec).map_err(|e| {
                TestCaseError::fail(format!("a validated spec did not resolve: {e}"))
            })?;
            let files = emit::generate(&api, &common::options());
            let files = files.map_err(|e| {
                TestCaseError::fail(format!("the emitter produced invalid Rust: {e}"))
            })?;
            for (path, text) in &files {
                prop_assert!(
                    syn::parse_file(text).is_ok(),
                    "{} does not parse",
                    path.display()
                );
            }
            let tests = emit::conformance_tests(&api, f.dir.path(), "genesys_cloud_client");
            prop_assert!(tests.is_ok(), "conformance tests: {:?}", tests.err());
        }
    }
    Ok(())
}

/// Applies `value` to `slot` in the fixture's files (renaming the file of a group).
fn apply(f: &Fixture, slot: &Slot, value: &str) {
    let path = f.dir.path().join(slot.file);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return;
    };
    if !text.contains(slot.from) {
        return;
    }
    std::fs::write(&path, text.replacen(slot.from, &substitute(slot, value), 1)).unwrap();
    if let Some((old, new)) = slot.rename {
        let safe: String = value
            .chars()
            .filter(|c| !matches!(c, '/' | '\\' | '\0'))
            .collect();
        if !safe.is_empty() && safe != "." && safe != ".." {
            let _ = std::fs::rename(
                f.dir.path().join(old),
                f.dir.path().join(new.replace("{}", &safe)),
            );
        }
    }
}

/// Every nasty name in every slot, one at a time: exhaustive, so no case depends on sampling.
#[test]
fn every_nasty_name_in_every_slot() {
    for slot in SLOTS {
        for value in NASTY {
            let f = fixture();
            apply(&f, slot, value);
            if let Err(e) = pipeline(&f) {
                panic!("`{value}` as `{}` in {}: {e}", slot.from, slot.file);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    /// Each name of the spec replaced by a nasty one, one or two at a time.
    #[test]
    fn nasty_names_give_diagnostics_or_valid_rust(
        picks in prop::collection::vec((0..SLOTS.len(), prop_oneof![prop::sample::select(NASTY).prop_map(str::to_owned), "[a-zA-Z0-9_ .:-]{0,8}"]), 1..3)
    ) {
        let f = fixture();
        for (slot, value) in &picks {
            apply(&f, &SLOTS[*slot], value);
        }
        pipeline(&f)?;
    }

    /// Random span edits of any spec file: deleting, inserting or replacing text.
    #[test]
    fn mutated_files_give_diagnostics_or_valid_rust(
        which in 0usize..5, start in 0usize..1000, len in 0usize..40, insert in "[ -~\n\u{e9}]{0,12}"
    ) {
        let (rel, original) = [
            ("demo/service.yaml", SERVICE),
            ("demo/groups/things.yaml", GROUP),
            ("demo/models/Thing.yaml", THING),
            ("demo/models/ErrorBody.yaml", ERROR_BODY),
            ("demo/models/Gadget.yaml", GADGET),
        ][which];
        let f = fixture();
        let mut text = original.to_owned();
        let start = start % text.len();
        let s = (0..=start).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        let e = (s + len).min(text.len());
        let e = (e..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
        text.replace_range(s..e, &insert);
        f.write(rel, &text);
        pipeline(&f)?;
    }

    /// Arbitrary bytes as a spec file.
    #[test]
    fn arbitrary_bytes_give_diagnostics(which in 0usize..4, bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let rel = ["demo/service.yaml", "demo/groups/things.yaml", "demo/models/Thing.yaml", "demo/models/ErrorBody.yaml"][which];
        let f = fixture();
        let path = f.dir.path().join(rel);
        std::fs::write(path, bytes).unwrap();
        pipeline(&f)?;
    }
}
