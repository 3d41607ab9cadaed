//! A Lambda function for the `provided.al2023` runtime, with no dependency beyond std: it
//! asks the Lambda Runtime API for the next event, answers `{"bytes":<size of the event>}`
//! and asks again, for as long as the execution environment lives.
//!
//! `Code::rust("rust-handler")` builds it into the `bootstrap` of a function's zip.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;

/// The Runtime API version every custom runtime speaks.
const API: &str = "/2018-06-01/runtime";

/// A response's headers, names in lowercase, and its body.
type Response = (Vec<(String, String)>, Vec<u8>);

fn main() -> io::Result<()> {
    let host = std::env::var("AWS_LAMBDA_RUNTIME_API").map_err(|_| {
        io::Error::new(
            io::ErrorKind::NotFound,
            "AWS_LAMBDA_RUNTIME_API is not set: this program runs as a Lambda bootstrap",
        )
    })?;
    loop {
        let (headers, event) = request(&host, "GET", &format!("{API}/invocation/next"), b"")?;
        let request_id = header(&headers, "lambda-runtime-aws-request-id").ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "the next event has no request id",
            )
        })?;
        let answer = handle(&event);
        let path = format!("{API}/invocation/{request_id}/response");
        request(&host, "POST", &path, answer.as_bytes())?;
    }
}

/// The function itself: the event's size in bytes, as JSON.
fn handle(event: &[u8]) -> String {
    format!("{{\"bytes\":{}}}", event.len())
}

/// One HTTP/1.1 exchange on a connection of its own: the response's headers (lowercase
/// names) and body. A status other than 2xx is an error.
fn request(host: &str, method: &str, path: &str, body: &[u8]) -> io::Result<Response> {
    let mut stream = TcpStream::connect(host)?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)?;
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status)?;
    if status
        .split(' ')
        .nth(1)
        .is_none_or(|code| !code.starts_with('2'))
    {
        return Err(io::Error::other(format!(
            "{method} {path}: {}",
            status.trim_end()
        )));
    }
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let mut content = Vec::new();
    match header(&headers, "content-length").and_then(|n| n.parse::<u64>().ok()) {
        Some(length) => reader.take(length).read_to_end(&mut content)?,
        None => reader.read_to_end(&mut content)?,
    };
    Ok((headers, content))
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}
