//! Lists the roles and divisions of a Genesys Cloud organization, with client credentials.
//!
//! ```sh
//! GENESYS_CLIENT_ID=… GENESYS_CLIENT_SECRET=… GENESYS_REGION=eu-west-1 \
//!     cargo run -p genesys-cloud-client --example list_roles_and_divisions
//! ```

use std::process::ExitCode;

use futures_util::TryStreamExt;
use genesys_cloud_client::genesys_cloud::{Client, Region};

const USAGE: &str = "\
set these environment variables:
  GENESYS_CLIENT_ID      the client id of an OAuth client (grant type: client credentials)
  GENESYS_CLIENT_SECRET  its secret
  GENESYS_REGION         optional: the organization's region, e.g. eu-west-1 (default us-east-1)
the OAuth client's roles need authorization:role:view to list roles.";

#[tokio::main]
async fn main() -> ExitCode {
    let (Ok(id), Ok(secret)) = (
        std::env::var("GENESYS_CLIENT_ID"),
        std::env::var("GENESYS_CLIENT_SECRET"),
    ) else {
        eprintln!("missing credentials\n{USAGE}");
        return ExitCode::from(2);
    };
    let region = match std::env::var("GENESYS_REGION") {
        Ok(name) => match Region::from_name(&name) {
            Some(r) => r,
            None => {
                let names: Vec<&str> = Region::ALL.iter().map(|r| r.name()).collect();
                eprintln!("unknown region `{name}`; one of: {}", names.join(", "));
                return ExitCode::from(2);
            }
        },
        Err(_) => Region::default(),
    };
    let client = match Client::builder()
        .region(region)
        .client_credentials(id, secret)
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match run(client).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(client: Client) -> Result<(), genesys_cloud_client::genesys_cloud::Error> {
    println!("Roles:");
    let mut roles = std::pin::pin!(
        client
            .authorization()
            .get_authorization_roles()
            .page_size(100)
            .into_paginator()
            .items()
    );
    while let Some(role) = roles.try_next().await? {
        println!(
            "  {:<40} {:>5} users",
            role.name.unwrap_or_default(),
            role.user_count.unwrap_or(0)
        );
    }

    println!("Divisions:");
    let divisions: Vec<_> = client
        .authorization()
        .get_authorization_divisions()
        .page_size(100)
        .into_paginator()
        .items()
        .try_collect()
        .await?;
    for d in divisions {
        println!(
            "  {} ({})",
            d.name.unwrap_or_default(),
            d.id.unwrap_or_default()
        );
    }
    Ok(())
}
