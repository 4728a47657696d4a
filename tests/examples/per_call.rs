//! Per-call overhead of the generated client against the same request written by hand with
//! reqwest and serde_json: sequential GETs of one division from an in-process loopback server,
//! alternating the two call by call so that drift of the machine's speed hits both alike.
//!
//! `cargo xtask bench-calls [CALLS]` builds this in release and runs it (or `cargo run --release
//! -p integration-tests --example per_call -- CALLS`). Prints figures, passes or fails nothing.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use genesys_cloud_client::genesys_cloud::{Client, models::AuthzDivision};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const BODY: &str = r#"{"id":"0d4e7a76-8f6a-4b8e-9d56-0c1e1a2b3c4d","name":"Home","description":"The home division of the organization","homeDivision":true,"objectCounts":{"queues":12,"users":340,"flows":27,"schedules":9,"campaigns":3},"selfUri":"/api/v2/authorization/divisions/0d4e7a76-8f6a-4b8e-9d56-0c1e1a2b3c4d"}"#;
const ID: &str = "0d4e7a76-8f6a-4b8e-9d56-0c1e1a2b3c4d";

/// The division as a hand-written caller would declare it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code, reason = "decoded to be measured, not read")]
struct Division {
    id: Option<String>,
    name: Option<String>,
    description: String,
    home_division: Option<bool>,
    object_counts: Option<BTreeMap<String, i64>>,
    self_uri: Option<String>,
}

/// An HTTP/1.1 server with keep-alive answering every request with `BODY`, on a thread and
/// runtime of its own so that it does not compete with the client's runtime.
fn serve() -> String {
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    std_listener.set_nonblocking(true).expect("non-blocking");
    let url = format!("http://{}", std_listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let listener = TcpListener::from_std(std_listener).expect("listener");
            let response = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{BODY}", BODY.len());
            while let Ok((mut socket, _)) = listener.accept().await {
                let response = response.clone();
                tokio::spawn(async move {
                    let mut buffer = Vec::with_capacity(4096);
                    let mut chunk = [0u8; 4096];
                    loop {
                        // GETs only: a request ends at its blank line.
                        while let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                            buffer.drain(..end + 4);
                            if socket.write_all(response.as_bytes()).await.is_err() {
                                return;
                            }
                        }
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    }
                });
            }
        });
    });
    url
}

async fn by_hand(http: &reqwest::Client, base: &str) -> Division {
    let response = http
        .get(format!("{base}/api/v2/authorization/divisions/{ID}"))
        .header(reqwest::header::AUTHORIZATION, "Bearer token")
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .expect("send");
    assert!(response.status().is_success());
    let bytes = response.bytes().await.expect("body");
    serde_json::from_slice(&bytes).expect("decode")
}

async fn generated(client: &Client) -> AuthzDivision {
    client
        .authorization()
        .get_authorization_division(ID)
        .await
        .expect("call")
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let calls: usize = std::env::args()
        .nth(1)
        .map_or(2000, |n| n.parse().expect("CALLS is a number"));
    let base = serve();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("reqwest client");
    let client = Client::builder()
        .base_url(&base)
        .access_token("token")
        .build()
        .expect("client");
    for _ in 0..calls.min(500) {
        by_hand(&http, &base).await;
        generated(&client).await;
    }
    // Call by call, alternating which goes first: both meet the same moments of the machine,
    // and the medians ignore the calls a scheduler hiccup stretched.
    let (mut hand, mut ours) = (Vec::with_capacity(calls), Vec::with_capacity(calls));
    for i in 0..calls {
        if i % 2 == 0 {
            hand.push(timed(by_hand(&http, &base)).await);
            ours.push(timed(generated(&client)).await);
        } else {
            ours.push(timed(generated(&client)).await);
            hand.push(timed(by_hand(&http, &base)).await);
        }
    }
    let (hand, ours) = (median(hand), median(ours));
    println!("{calls} sequential GETs each, alternating call by call, median per call:");
    println!("  reqwest + serde_json by hand: {:>8.1} µs", micros(hand));
    println!("  generated client:             {:>8.1} µs", micros(ours));
    println!(
        "  ratio:                        {:>8.3}",
        ours.as_secs_f64() / hand.as_secs_f64()
    );
}

/// How long `call` took, its result kept from being optimized away.
async fn timed<T>(call: impl Future<Output = T>) -> Duration {
    let t = Instant::now();
    std::hint::black_box(call.await);
    t.elapsed()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
