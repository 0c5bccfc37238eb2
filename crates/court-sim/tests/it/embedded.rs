//! court-sim embedded in another program (the desktop app's demo court): `serve_until` must
//! really end everything it started, because the embedder moves the data folder next.

use std::net::SocketAddr;
use std::time::Duration;

use litigant_court_sim::{CourtSim, SimConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const LIMIT: Duration = Duration::from_secs(10);

/// Sends one keep-alive request and reads its whole answer, leaving the connection open.
async fn get_policy(stream: &mut TcpStream) -> String {
    stream
        .write_all(b"GET /api/v1/policy HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .expect("the request is sent");
    let mut answer = Vec::new();
    let mut buffer = [0u8; 8192];
    // The policy is small; read until the JSON body has closed.
    while !answer.ends_with(b"}") {
        let n = tokio::time::timeout(LIMIT, stream.read(&mut buffer))
            .await
            .expect("the answer arrives")
            .expect("the connection reads");
        assert!(n > 0, "closed early: {}", String::from_utf8_lossy(&answer));
        answer.extend_from_slice(&buffer[..n]);
    }
    String::from_utf8(answer).expect("an HTTP answer is text")
}

#[tokio::test]
async fn serve_until_closes_connections_and_the_database_before_it_returns() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo-court");
    let sim = CourtSim::bind(SimConfig::new(&data), SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let address = sim.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(sim.serve_until(async {
        let _ = stopped.await;
    }));

    let mut kept_open = TcpStream::connect(address).await.unwrap();
    let answer = get_policy(&mut kept_open).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"demo\":true"), "{answer}");
    // SQLite in WAL mode keeps `court.db-wal` while a connection is open, and removes it when
    // the last one closes: that is how this test sees the database closed.
    let wal = data.join("court.db-wal");
    assert!(wal.exists(), "the database is open while serving");

    stop.send(()).unwrap();
    tokio::time::timeout(LIMIT, server)
        .await
        .expect("serve_until returns after shutdown")
        .unwrap();

    let mut rest = [0u8; 64];
    let n = tokio::time::timeout(LIMIT, kept_open.read(&mut rest))
        .await
        .expect("the kept-open connection is closed, not left hanging")
        .unwrap_or(0);
    assert_eq!(n, 0, "no more data on a closed connection");
    assert!(
        !wal.exists(),
        "the database was closed before serve_until returned"
    );
    assert!(
        TcpStream::connect(address).await.is_err(),
        "nothing listens any more"
    );
}
