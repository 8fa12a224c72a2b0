//! `landbank token create|list|revoke`: the bearer tokens kept in the store.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use landbank_store::{Store, Token};

use crate::args::TokenCommand;

pub async fn run(command: TokenCommand) -> Result<ExitCode> {
    match command {
        TokenCommand::Create { name, role, store } => {
            landbank_http::check_token_name(&name).map_err(anyhow::Error::msg)?;
            let location = store.location();
            let store = Store::open(&location).await.with_context(|| format!("opening store at {location}"))?;
            let secret = landbank_http::new_secret();
            let token = Token {
                name: name.clone(),
                role: role.code().to_owned(),
                secret_sha256: landbank_http::secret_digest(&secret),
                created_at: jiff::Timestamp::now().round(jiff::Unit::Second)?.to_string(),
                revoked_at: None,
            };
            store.create_token(token).await.with_context(|| format!("creating token `{name}`"))?;
            eprintln!("token `{name}` ({role}) created; its secret is shown once — keep it safe:");
            println!("{secret}");
            Ok(ExitCode::SUCCESS)
        }
        TokenCommand::List { store } => {
            let location = store.location();
            let store = Store::open(&location).await.with_context(|| format!("opening store at {location}"))?;
            let tokens = store.tokens().await.context("reading the tokens")?;
            println!("{:<24} {:<8} {:<26} revoked", "name", "role", "created");
            for t in tokens {
                println!(
                    "{:<24} {:<8} {:<26} {}",
                    t.name,
                    t.role,
                    t.created_at,
                    t.revoked_at.as_deref().unwrap_or("-")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        TokenCommand::Revoke { name, store } => {
            let location = store.location();
            let store = Store::open(&location).await.with_context(|| format!("opening store at {location}"))?;
            let at = jiff::Timestamp::now().round(jiff::Unit::Second)?.to_string();
            if !store.revoke_token(&name, &at).await.context("revoking the token")? {
                bail!("there is no live token named `{name}`");
            }
            println!("token `{name}` revoked at {at}");
            Ok(ExitCode::SUCCESS)
        }
    }
}
