//! The notification worker: sweeps the live data for due occasions (stage deadlines, returned
//! documents, sessions to score, expiring certificates, counterfeit signals) and, when the e-mail hook is set, hands
//! each new notification to it.

use std::process::Stdio;

use base64::Engine;
use chrono::Utc;
use ocop_domain::calendar::vietnam_day;
use ocop_persistence::entities::notification;
use ocop_persistence::{DbErr, notifications};
use tokio::io::AsyncWriteExt;

use crate::state::AppState;

/// Runs until `stop` turns true; a round in progress is finished first.
pub async fn run(state: actix_web::web::Data<AppState>, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        match notifications::sweep(&state.db, vietnam_day(Utc::now()), &state.trace_rules).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(new = n, "notifications written"),
            Err(e) => tracing::warn!(error = %e, "notification sweep failed"),
        }
        if let Some(command) = &state.notifications.mail_command
            && let Err(e) = mail_new(&state, command).await
        {
            tracing::warn!(error = %e, "notification mail round failed");
        }
        tokio::select! {
            () = tokio::time::sleep(state.notifications.sweep_interval) => {}
            _ = stop.changed() => break,
        }
    }
}

async fn mail_new(state: &AppState, command: &str) -> Result<(), DbErr> {
    for (n, to) in notifications::unmailed(&state.db, 200).await? {
        let message = mail_message(&n, &to, &state.public_base_url);
        match send(command, &message).await {
            Ok(()) => notifications::mark_mailed(&state.db, n.id).await?,
            // Left unmailed: the next round tries again.
            Err(e) => tracing::warn!(error = %e, notification = %n.id, "e-mail hook failed"),
        }
    }
    Ok(())
}

/// An RFC 5322 message in both languages, the subject encoded for its diacritics.
fn mail_message(n: &notification::Model, to: &str, base_url: &str) -> String {
    let subject = base64::engine::general_purpose::STANDARD.encode(format!("[OCOP] {}", n.title_vi));
    let link = n.link.as_deref().map(|l| format!("\r\n\r\n{base_url}{l}")).unwrap_or_default();
    format!(
        "To: {to}\r\nSubject: =?UTF-8?B?{subject}?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}\r\n{}\r\n\r\n{}\r\n{}{link}\r\n",
        n.title_vi, n.body_vi, n.title_en, n.body_en
    )
}

async fn send(command: &str, message: &str) -> std::io::Result<()> {
    let mut child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    if let Some(mut input) = child.stdin.take() {
        input.write_all(message.as_bytes()).await?;
    }
    let status = tokio::time::timeout(std::time::Duration::from_secs(30), child.wait())
        .await
        .map_err(|_| std::io::Error::other("the e-mail hook took longer than 30 s"))??;
    if status.success() { Ok(()) } else { Err(std::io::Error::other(format!("the e-mail hook exited with {status}"))) }
}
