//! Peak memory of the client against a server that sends a 200 MB body, with the default
//! limit, on an error status, and with the limit lifted (what the client did before it had one).
//!
//! `cargo run --release -p integration-tests --example body_limit_memory` (Linux: reads VmHWM).

use std::time::Instant;

use genesys_cloud_client::genesys_cloud;
use genesys_cloud_client::runtime::RetryPolicy;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const BODY: usize = 200 * 1024 * 1024;

/// Serves `status` with a 200 MB body (chunked, or with `Content-Length` when `declare`).
async fn serve(status: u16, declare: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let framing = if declare {
                    format!("Content-Length: {BODY}")
                } else {
                    "Transfer-Encoding: chunked".to_owned()
                };
                let _ = socket
                    .write_all(format!("HTTP/1.1 {status} X\r\n{framing}\r\n\r\n").as_bytes())
                    .await;
                let chunk = vec![b'x'; 1 << 20];
                for _ in 0..BODY >> 20 {
                    let ok = if declare {
                        socket.write_all(&chunk).await
                    } else {
                        socket
                            .write_all(
                                &[format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"]
                                    .concat(),
                            )
                            .await
                    };
                    if ok.is_err() {
                        return;
                    }
                }
                let _ = socket
                    .write_all(if declare { b"" } else { b"0\r\n\r\n" })
                    .await;
            });
        }
    });
    url
}

fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

async fn case(label: &str, status: u16, declare: bool, limit: Option<u64>) {
    let url = serve(status, declare).await;
    let mut builder = genesys_cloud::Client::builder()
        .base_url(url)
        .access_token("t")
        .retry_policy(RetryPolicy::none());
    if let Some(limit) = limit {
        builder = builder.max_response_bytes(limit);
    }
    let client = builder.build().expect("client");
    let started = Instant::now();
    let outcome = match client.authorization().get_authorization_products().await {
        Ok(_) => "ok".to_owned(),
        Err(e) => e.to_string().chars().take(110).collect(),
    };
    println!(
        "{label:<44} peak {:>7.1} MiB  {:>8.2?}  {outcome}",
        peak_mib(),
        started.elapsed()
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    println!("{:<44} peak {:>7.1} MiB", "start", peak_mib());
    case("200 MB, chunked, default limit", 200, false, None).await;
    case("200 MB, Content-Length, default limit", 200, true, None).await;
    case(
        "200 MB on a 500, chunked (error body cap)",
        500,
        false,
        None,
    )
    .await;
    // Last, since the high-water mark only grows: the client without a limit, as it was.
    case(
        "200 MB, chunked, no limit (as before)",
        200,
        false,
        Some(u64::MAX),
    )
    .await;
}
