//! The integrators' guide (`docs/integrators.md`) runs: each marked sample is taken from the
//! file as written and run with curl, bash or python3 against a real server.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use chrono::Utc;
use serde_json::{Value, json};

use crate::both;
use crate::catalog::{certify, revoke};
use crate::helpers::TestApp;

/// The samples of the guide by name: (language, code).
fn samples() -> HashMap<String, (String, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/integrators.md");
    let text = std::fs::read_to_string(path).expect("docs/integrators.md");
    let mut out = HashMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line.trim().strip_prefix("<!-- sample: ").and_then(|r| r.strip_suffix(" -->")) else {
            continue;
        };
        let lang =
            lines.next().and_then(|l| l.strip_prefix("```")).expect("a fenced block after the marker").to_owned();
        let code: Vec<&str> = lines.by_ref().take_while(|l| !l.starts_with("```")).collect();
        out.insert(name.to_owned(), (lang, code.join("\n")));
    }
    out
}

fn command(lang: &str, code: &str, env: &[(&str, &str)]) -> Command {
    let mut cmd = match lang {
        "sh" => {
            let mut c = Command::new("bash");
            c.args(["-euo", "pipefail", "-c", code]);
            c
        }
        "python" => {
            let mut c = Command::new("python3");
            c.args(["-c", code]);
            c
        }
        other => panic!("no runner for {other}"),
    };
    cmd.envs(env.iter().copied());
    cmd
}

/// Runs a sample to its end; returns its standard output, failing on a non-zero exit.
async fn run(samples: &HashMap<String, (String, String)>, name: &str, env: &[(&str, &str)]) -> String {
    let (lang, code) = samples.get(name).unwrap_or_else(|| panic!("sample {name} in the guide")).clone();
    let env: Vec<(String, String)> = env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    let output = tokio::task::spawn_blocking(move || {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        command(&lang, &code, &env).output().expect("run sample")
    })
    .await
    .expect("join");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "sample {name} failed: {stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

/// A sample left running (the webhook receiver); killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

async fn the_guide_s_samples_run(app: TestApp) {
    let samples = samples();
    let admin = app.token("admin@ocop.demo").await;
    let partner = app
        .post_expect(
            "/api/v1/partners",
            &admin,
            &json!({"name": "Sàn TMĐT Hạ Long", "kind": "portal", "contact_email": "kythuat@san.example.vn"}),
            201,
        )
        .await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let key = app
        .post_expect(
            &format!("/api/v1/partners/{partner}/keys"),
            &admin,
            &json!({"name": "Đồng bộ", "scopes": ["catalog:read", "webhooks:manage"]}),
            201,
        )
        .await["secret"]
        .as_str()
        .expect("secret")
        .to_owned();
    let today = Utc::now().date_naive().format("%Y-%m-%d").to_string();
    let cert = certify(&app, 75, &today).await;
    let env = [("OCOP_URL", app.address.as_str()), ("OCOP_API_KEY", key.as_str())];

    let me: Value = serde_json::from_str(&run(&samples, "whoami", &env).await).expect("json");
    assert_eq!(me["partner"]["name"], "Sàn TMĐT Hạ Long");
    let page: Value = serde_json::from_str(&run(&samples, "first-page", &env).await).expect("json");
    assert_eq!(page["items"][0]["title"], "Trà hoa vàng Ba Chẽ");
    let all = run(&samples, "pull-all", &env).await;
    assert!(all.contains("Trà hoa vàng Ba Chẽ"), "{all}");
    assert_eq!(all.lines().last(), Some("1 products"));
    assert_eq!(run(&samples, "etag", &env).await.trim(), "304");
    let changes: Value = serde_json::from_str(&run(&samples, "changes", &env).await).expect("json");
    assert_eq!(changes["changes"][0]["kind"], "listed");

    // Subscribe the guide's receiver, start it, and revoke: it prints the verified event.
    let port = free_port().to_string();
    let hook_url = format!("http://127.0.0.1:{port}/ocop");
    let mut with_url = env.to_vec();
    with_url.push(("WEBHOOK_URL", hook_url.as_str()));
    let subscribed: Value = serde_json::from_str(&run(&samples, "subscribe", &with_url).await).expect("json");
    let secret = subscribed["secret"].as_str().expect("secret").to_owned();
    let (lang, code) = samples.get("receiver").expect("receiver sample").clone();
    let mut child = command(&lang, &code, &[("WEBHOOK_SECRET", secret.as_str()), ("PORT", port.as_str())])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the receiver");
    let stdout = child.stdout.take().expect("stdout");
    let _receiver = Running(child);
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port.parse::<u16>().expect("port"))).is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    revoke(&app, &cert).await;
    let line = tokio::task::spawn_blocking(move || received.recv_timeout(Duration::from_secs(15)))
        .await
        .expect("join")
        .expect("the receiver printed the event");
    let product = page["items"][0]["id"].as_str().expect("id");
    assert_eq!(line, format!("product.delisted {product} revoked"));
}

fn webhooks_to_this_machine(config: &mut ocop_api::ApiConfig) {
    config.webhooks.allow_private_targets = true;
    config.webhooks.poll_interval = Duration::from_millis(50);
}

both!(the_guide_s_samples_run, super::webhooks_to_this_machine);
