//! Running a helper program (Tesseract, pdftoppm) on bytes fed to its standard input, with a
//! time limit: a program that hangs on a hostile or broken input is killed, not waited for.

use std::io::{Read, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// What a finished program gave back.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Why a program gave nothing back.
#[derive(Debug)]
pub enum ChildError {
    /// It could not be started (usually: not installed).
    Start(std::io::Error),
    /// It ran past the limit and was killed.
    TimedOut(Duration),
    Wait(std::io::Error),
}

/// Runs `command` with `input` on its standard input, collecting its output, and kills it
/// when it runs longer than `limit`.
pub fn run(mut command: Command, input: &[u8], limit: Duration) -> Result<Finished, ChildError> {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(ChildError::Start)?;
    let (Some(mut stdin), Some(mut stdout), Some(mut stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        unreachable!("all three streams were asked to be piped");
    };
    let started = Instant::now();
    std::thread::scope(|scope| {
        // Writing, reading and waiting at once: a pipe that fills up must never stall the
        // other side. A write error means the program stopped reading; its exit says why.
        scope.spawn(move || {
            let _ = stdin.write_all(input);
        });
        let out = scope.spawn(move || {
            let mut s = Vec::new();
            let _ = stdout.read_to_end(&mut s);
            s
        });
        let err = scope.spawn(move || {
            let mut s = Vec::new();
            let _ = stderr.read_to_end(&mut s);
            s
        });
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) if started.elapsed() > limit => {
                    // Killing closes its pipes, which ends the reader threads.
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(ChildError::TimedOut(limit));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(ChildError::Wait(e));
                }
            }
        };
        let stdout = out.join().unwrap_or_default();
        let stderr = err.join().unwrap_or_default();
        status.map(|status| Finished {
            status,
            stdout,
            stderr,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_comes_back_and_a_hung_program_is_killed() {
        let mut cat = Command::new("cat");
        cat.arg("-");
        let done = run(cat, b"page", Duration::from_mins(1)).expect("cat runs");
        assert!(done.status.success());
        assert_eq!(done.stdout, b"page");

        let mut sleep = Command::new("sleep");
        sleep.arg("600");
        match run(sleep, b"", Duration::ZERO) {
            Err(ChildError::TimedOut(limit)) => assert_eq!(limit, Duration::ZERO),
            other => panic!("expected a time-out, got {other:?}"),
        }
        assert!(matches!(
            run(
                Command::new("/nonexistent/program"),
                b"",
                Duration::from_mins(1)
            ),
            Err(ChildError::Start(_))
        ));
    }
}
