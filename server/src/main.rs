//! `ecs-sim-serve` (run as `ecs-sim serve ...`): the AWS APIs the engine models on a local port.
// No unwrap, expect or panic outside tests: the workspace's [lints] table (Cargo.toml) denies them.

use ecs_sim_server::{lock, router, tick, App, Config, DEFAULT_SCENARIO};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const USAGE: &str =
    "usage: ecs-sim serve [--port 4566] [--bind 127.0.0.1] [--scenario FILE] [--speed N] [--allow-origin URL]...

Serves the ECS (JSON 1.1), Application Auto Scaling (JSON 1.1) and ELBv2 (query/XML) APIs on
http://BIND:PORT, driving one simulation, so the AWS CLI and SDKs work unmodified:
  aws --endpoint-url http://127.0.0.1:4566 ecs list-container-instances

  --port N            TCP port (default 4566)
  --bind ADDR         address to listen on (default 127.0.0.1: this machine only)
  --scenario FILE     the scenario to start from (default: cluster \"default\", three m5.large
                      instances in us-east-1a/b and a target group web-tg)
  --speed N           simulated seconds per wall-clock second (default 1; at most 1000)
  --allow-origin URL  allow browser pages from this exact origin (CORS); repeatable. Default:
                      none, so no web page can call the server
SigV4 signatures are accepted without checking any credential. The playground's own verbs
(X-Amz-Target: EcsPlayground.AdvanceClock, Pause, Resume, SetSpeed, LaunchInstances,
InjectFault, DescribeState, ExportScenario) are documented in the README.";

struct Opts {
    port: u16,
    bind: String,
    scenario: Option<String>,
    speed: f64,
    origins: Vec<String>,
}

fn parse(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts { port: 4566, bind: "127.0.0.1".into(), scenario: None, speed: 1.0, origins: Vec::new() };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let mut value = || inline.clone().or_else(|| it.next().cloned()).ok_or_else(|| format!("{name} needs a value"));
        match name {
            "--port" => {
                o.port = value()?.parse().map_err(|_| "--port must be a whole number from 0 to 65535".to_string())?
            }
            "--bind" => o.bind = value()?,
            "--scenario" => o.scenario = Some(value()?),
            "--speed" => {
                let v = value()?;
                o.speed = v
                    .parse()
                    .ok()
                    .filter(|s: &f64| *s > 0.0 && *s <= 1000.0)
                    .ok_or("--speed must be a number more than 0 and at most 1000")?;
            }
            "--allow-origin" => {
                let v = value()?;
                if !(v.starts_with("http://") || v.starts_with("https://")) || v.ends_with('/') {
                    return Err(format!("--allow-origin takes an origin like http://127.0.0.1:8080 (scheme, host, port; no path), not \"{v}\""));
                }
                o.origins.push(v);
            }
            other => return Err(format!("unexpected argument \"{other}\"")),
        }
    }
    Ok(o)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let o = match parse(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("ecs-sim serve: {e}\n(see `ecs-sim serve --help`)");
            return ExitCode::from(2);
        }
    };
    let text = match &o.scenario {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("ecs-sim serve: {path}: {e}");
                return ExitCode::from(1);
            }
        },
        None => DEFAULT_SCENARIO.to_string(),
    };
    let scenario = match ecs_sim::parse_scenario(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("ecs-sim serve: {}: {e}", o.scenario.as_deref().unwrap_or("default scenario"));
            return ExitCode::from(1);
        }
    };
    // Simulated time 0 is the moment the server started (timestamps in responses are Unix seconds).
    let epoch =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as f64).unwrap_or(0.0);
    let app = match App::new(scenario, Config { speed: o.speed, allow_origins: o.origins.clone(), epoch }) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("ecs-sim serve: {e}");
            return ExitCode::from(1);
        }
    };
    let shared = Arc::new(Mutex::new(app));
    let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ecs-sim serve: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    rt.block_on(async move {
        let addr = format!("{}:{}", o.bind, o.port);
        let listener = match tokio::net::TcpListener::bind(&addr).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("ecs-sim serve: cannot listen on {addr}: {e}");
                return ExitCode::from(1);
            }
        };
        let local = listener.local_addr().map(|a| a.to_string()).unwrap_or(addr);
        {
            let a = lock(&shared);
            let st = a.sim.state();
            println!("ecs-sim serve: listening on http://{local}");
            if o.bind == "127.0.0.1" || o.bind == "localhost" || o.bind == "::1" {
                println!("  bound to {} only: other machines cannot reach it (--bind 0.0.0.0 to share)", o.bind);
            } else {
                println!("  bound to {}: reachable from other machines, without authentication", o.bind);
            }
            println!(
                "  cluster {} in {}, {} container instances, speed {}x",
                st.cluster_name,
                st.region,
                st.instances.len(),
                o.speed
            );
            println!(
                "  CORS: {}",
                if o.origins.is_empty() { "no origin allowed".to_string() } else { o.origins.join(", ") }
            );
            println!(
                "  try: aws --endpoint-url http://{local} --region {} ecs list-container-instances --cluster {}",
                st.region, st.cluster_name
            );
        }
        tokio::spawn(tick(shared.clone(), Duration::from_millis(100)));
        match axum::serve(listener, router(shared)).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("ecs-sim serve: {e}");
                ExitCode::from(1)
            }
        }
    })
}
