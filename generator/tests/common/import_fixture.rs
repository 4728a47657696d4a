//! The import tests' small spec and docs folder: one page in the repository form and its model
//! reference.

use std::path::PathBuf;

use super::Fixture;

pub const PAGE: &str = r#"# ThingsApi

## demo.ThingsApi

| Method | Description |
| ------------- | ------------- |
| [**get_thing**](#get_thing) | Get a thing |
| [**get_things**](#get_things) | List things |
| [**post_thing**](#post_thing) | Create a thing |

## get_thing

> [**Thing**](Thing) get_thing(thing_id, page_size=page_size, kind=kind, verbose=verbose, tag_ids=tag_ids)

Get a thing

Returns the thing, now with \"quotes\".

get_thing is a preview method and is subject to both breaking and non-breaking changes at any time without notice

Wraps GET /things/{thingId} 

Requires ANY permissions: 

* things:thing:view

### Parameters

|Name | Type | Description  | Notes|
|------------- | ------------- | ------------- | -------------|
| **thing_id** | **str**| Thing ID |  |
| **page_size** | **int**| Page size | [optional] [default to 25] |
| **kind** | **str**| Kind | [optional] [default to &#39;A&#39;]<br />**Values**: A, B, C |
| **verbose** | **bool**| Verbose &amp; more | [optional] [default to False]<br />**Values**: true, false |
| **tag_ids** | **list[str]**| Tags | [optional] |

### Return type

[**Thing**](Thing)

## get_things

> [**ThingListing**](ThingListing) get_things()

List things

Wraps GET /things 

Requires no permissions

### Parameters

This endpoint does not need any parameter.

### Return type

[**ThingListing**](ThingListing)

## post_thing

:::{"alert":"warning","title":"Deprecated","collapsible":false,"autoCollapse":false}
This resource has been deprecated
:::

> post_thing(body)

Create a thing

Wraps POST /things 

Requires ALL permissions: 

* things:thing:add
* things:thing:edit

### Parameters

|Name | Type | Description  | Notes|
|------------- | ------------- | ------------- | -------------|
| **body** | **Thing**| The thing |  |

### Return type

void (empty response body)

_PureCloudPlatformClientV2 3.0.0_
"#;

pub const MODELS: &str = r#"{"source": "test", "models": [
  {"name": "Thing", "fields": [
    {"name": "id", "type": "str", "required": true, "description": "The id."},
    {"name": "owner", "type": "Thing", "required": false, "description": ""},
    {"name": "tags", "type": "list[str]", "required": false, "description": "", "enum": ["red", "blue"]},
    {"name": "createdDate", "type": "datetime", "required": false, "description": "When."}
  ]},
  {"name": "ThingListing", "fields": [
    {"name": "entities", "type": "list[Thing]", "required": false, "description": ""},
    {"name": "pageSize", "type": "int", "required": false, "description": ""},
    {"name": "total", "type": "int", "required": false, "description": ""}
  ]},
  {"name": "ErrorBody", "fields": [{"name": "message", "type": "str", "required": false, "description": ""}]}
]}"#;

/// The fixture spec, with what only maintainers know: an SDK class, a legacy permission, an
/// error, a note, an operation the page calls otherwise and one the page dropped; and a docs
/// folder of one page.
/// The SDK's code of the same release (`source/apis/things_api.py`), as its generator writes
/// it: where each parameter goes, under which name.
pub const CODE: &str = r#"
class ThingsApi(object):
    def get_thing(self, thing_id: str, **kwargs) -> 'Thing':
        resource_path = '/things/{thingId}'.replace('{format}', 'json')
        path_params = {}
        if 'thing_id' in params:
            path_params['thingId'] = params['thing_id']
        query_params = {}
        if 'page_size' in params:
            query_params['pageSize'] = params['page_size']
        if 'kind' in params:
            query_params['kind'] = params['kind']
        if 'verbose' in params:
            query_params['verbose'] = params['verbose']
        if 'tag_ids' in params:
            query_params['tagIds'] = params['tag_ids']
        collection_formats['tagIds'] = 'multi'
        header_params = {}
        body_params = None
        header_params['Accept'] = self.api_client.\
            select_header_accept(['application/json'])
        header_params['Content-Type'] = self.api_client.\
            select_header_content_type(['application/json'])
        response = self.api_client.call_api(resource_path, 'GET',
        return response

    def get_things(self, **kwargs) -> 'ThingListing':
        resource_path = '/things'.replace('{format}', 'json')
        header_params['Accept'] = self.api_client.\
            select_header_accept(['application/json'])
        response = self.api_client.call_api(resource_path, 'GET',
        return response

    def post_thing(self, body: 'Thing', **kwargs) -> 'Thing':
        resource_path = '/things'.replace('{format}', 'json')
        body_params = None
        if 'body' in params:
            body_params = params['body']
        header_params['Accept'] = self.api_client.\
            select_header_accept(['application/vnd.thing+json', 'application/json'])
        header_params['Content-Type'] = self.api_client.\
            select_header_content_type(['application/merge-patch+json', 'application/json'])
        response = self.api_client.call_api(resource_path, 'POST',
        return response
"#;

pub fn setup() -> (Fixture, tempfile::TempDir) {
    let f = Fixture::new();
    f.edit(
        "demo/groups/things.yaml",
        "group: things\n",
        "group: things\nsdk_class: ThingsApi\n",
    );
    f.edit(
        "demo/groups/things.yaml",
        "    any:\n    - things:thing:view\n",
        "    any:\n    - admin\n    - things:thing:view\n",
    );
    f.edit(
        "demo/groups/things.yaml",
        "  legacy_names: [get_things_thing_id]\n",
        "  legacy_names: [get_things_thing_id]\n  errors:\n  - {status: 404, description: No such thing.}\n  notes: Kept by import.\n\
         - name: list_things\n  method: GET\n  path: /things\n  summary: List\n  returns: object\n\
         - name: delete_thing\n  method: DELETE\n  path: /things/{thingId}\n  summary: Delete\n  parameters:\n\
         \x20 - {name: thing_id, wire_name: thingId, in: path, type: string, required: true}\n",
    );
    f.edit(
        "demo/models/Thing.yaml",
        "  tags:\n",
        "  legacy:\n    type: string\n  tags:\n",
    );
    f.load().unwrap_or_else(|r| panic!("{r}"));
    let docs = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(docs.path().join("docs")).unwrap();
    std::fs::write(docs.path().join("docs/ThingsApi.md"), PAGE).unwrap();
    std::fs::write(
        docs.path().join("docs/Thing.md"),
        "# Thing\n\n## Properties\n",
    )
    .unwrap();
    std::fs::write(docs.path().join("models.json"), MODELS).unwrap();
    std::fs::create_dir_all(docs.path().join("source/apis")).unwrap();
    std::fs::write(docs.path().join("source/apis/things_api.py"), CODE).unwrap();
    (f, docs)
}

pub fn write(f: &Fixture, files: &std::collections::BTreeMap<PathBuf, String>) {
    for (path, text) in files {
        f.write(&path.to_string_lossy(), text);
    }
}
