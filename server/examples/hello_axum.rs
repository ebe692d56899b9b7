//! The baseline for BENCHMARKS.md: a bare axum hello-world on the same machine, with the
//! same TCP_NODELAY listener, so Refract's figures can be read as a ratio.
use axum::routing::get;
use axum::serve::ListenerExt;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::var("HELLO_ADDR").unwrap_or_else(|_| "127.0.0.1:3999".into());
    let listener = tokio::net::TcpListener::bind(&addr).await?.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let app = axum::Router::new().route("/", get(|| async { "Hello, World!" }));
    axum::serve(listener, app).await
}
