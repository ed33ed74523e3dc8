//! Runs the simulator standalone:
//! `cargo run -p agreement-sync-sim -- --port 8080 [--customers N] [--seed S] [--today YYYY-MM-DD] [--latency-ms N]`
//! `[--cw-company-id ID --cw-public-key K --cw-private-key K --cw-client-id GUID --mp-username U --mp-password P --mp-subscription-key K]`

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use agreement_sync_sim::{start, SimConfig};
use chrono::NaiveDate;
use clap::Parser;

/// Agreement Sync simulator: Cloud Marketplace and ConnectWise Manage API subsets over seeded
/// data, on loopback.
#[derive(Parser, Debug)]
#[command(name = "agreement-sync-sim", version, about)]
struct Args {
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Marketplace customers in all (the 12 curated ones plus generated ones).
    #[arg(long, default_value_t = 12)]
    customers: usize,
    /// Orders per generated customer.
    #[arg(long, default_value_t = 3)]
    orders_per_customer: usize,
    /// Seed of the generated data.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// The world's "today" as YYYY-MM-DD (default: AGREEMENT_SYNC_TODAY if set, else today,
    /// UTC).
    #[arg(long, env = "AGREEMENT_SYNC_TODAY")]
    today: Option<NaiveDate>,
    /// Latency added to every response, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Credentials to accept instead of the demo ones (for trying real profiles against it).
    #[arg(long)]
    cw_company_id: Option<String>,
    #[arg(long)]
    cw_public_key: Option<String>,
    #[arg(long)]
    cw_private_key: Option<String>,
    #[arg(long)]
    cw_client_id: Option<String>,
    #[arg(long)]
    mp_username: Option<String>,
    #[arg(long)]
    mp_password: Option<String>,
    #[arg(long)]
    mp_subscription_key: Option<String>,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let today = args
        .today
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let mut config = SimConfig::demo(today);
    config.customers = args.customers;
    config.orders_per_customer = args.orders_per_customer;
    config.seed = args.seed;
    config.latency = Duration::from_millis(args.latency_ms);
    let c = &mut config.credentials;
    for (value, field) in [
        (args.cw_company_id, &mut c.cw_company_id),
        (args.cw_public_key, &mut c.cw_public_key),
        (args.cw_private_key, &mut c.cw_private_key),
        (args.cw_client_id, &mut c.cw_client_id),
        (args.mp_username, &mut c.marketplace_username),
        (args.mp_password, &mut c.marketplace_password),
        (args.mp_subscription_key, &mut c.subscription_key),
    ] {
        if let Some(v) = value {
            *field = v;
        }
    }
    let creds = config.credentials.clone();
    let sim = start(config, SocketAddr::new(args.host, args.port)).await?;
    println!(
        "Agreement Sync simulator (today {today}, {} customers, seed {})",
        args.customers, args.seed
    );
    println!();
    println!("Cloud Marketplace  {}", sim.marketplace_base_url());
    println!("  username          {}", creds.marketplace_username);
    println!("  password          {}", creds.marketplace_password);
    println!("  subscription key  {}", creds.subscription_key);
    println!();
    println!("ConnectWise        {}", sim.connectwise_base_url());
    println!("  site              {}", sim.connectwise_site());
    println!("  company id        {}", creds.cw_company_id);
    println!("  public key        {}", creds.cw_public_key);
    println!("  private key       {}", creds.cw_private_key);
    println!("  client id         {}", creds.cw_client_id);
    println!();
    println!("Control: GET/DELETE /_sim/requests, POST /_sim/faults (500, 429, timeouts, dropped connections, malformed bodies, a 200 web page, a field reshaped), POST/DELETE /_sim/permissions, POST /_sim/orders, POST /_sim/orders/{{id}}/status, POST /_sim/expire-tokens, POST /_sim/latency, POST /_sim/order-listing (ignore the date window, newest or oldest first), POST/DELETE /_sim/addition-custom-field ({{\"caption\", \"type\"}}), POST /_sim/hold-creates ({{\"count\": n}}: the next n addition POSTs race), POST /_sim/invoice-run ({{\"through\": \"2026-04-01\", \"agreementId\"?: n}}: ConnectWise invoices the agreements), GET /_sim/invoices?agreementId=n, POST /_sim/agreements/{{id}}/calendar ({{\"nextInvoiceDate\", \"prorateFlag\"}})");
    println!("Ctrl-C stops.");
    tokio::signal::ctrl_c().await?;
    sim.shutdown();
    Ok(())
}
