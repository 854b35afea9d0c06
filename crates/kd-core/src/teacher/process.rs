//! The process behind a `cmd:` teacher, run so that kd never waits on it without a deadline.
//!
//! - It is started through `sh -c` in a process group of its own, so that stopping it kills
//!   the group: the shell, the teacher and whatever the teacher started (a grandchild that holds
//!   the pipes open would otherwise outlive kd). The group is always killed and the child reaped.
//! - Requests are written by a thread of their own: a teacher that stops reading its input
//!   fills the pipe and blocks that thread, not kd, which still sees its deadline pass.
//! - Answers are read by another thread, one line at a time, each line at most `answer_limit`
//!   bytes: a teacher that writes an endless line without a newline is reported, not buffered.
//! - Its stderr is kept as its last lines, each cut at [`STDERR_PIECE`] bytes, for messages.
//!
//! Written by hand because no process crate of the ecosystem offers deadlines on line-oriented
//! pipes with group killing; `rustix` sends the signal (safe bindings to `kill(2)`).

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How many stderr pieces (lines, or parts of long lines) are kept for error messages.
const STDERR_TAIL: usize = 20;
/// The longest stderr piece kept, in bytes.
const STDERR_PIECE: u64 = 4096;
/// How long a teacher may take to exit by itself once its input is closed.
const EXIT_GRACE: Duration = Duration::from_secs(2);

/// What the teacher did, as the threads around it saw it.
#[derive(Debug)]
pub(super) enum Event {
    /// One line of its output, without the line end.
    Line(String),
    /// It wrote more than the limit without ending the line; reading stopped.
    TooLong { limit: usize },
    /// Its output could not be read (for example, it is not UTF-8); reading stopped.
    ReadFailed(io::Error),
    /// It closed its output (or exited).
    Closed,
    /// A request could not be written (it closed its input or exited).
    WriteFailed,
}

/// A running teacher process; see the module documentation.
pub(super) struct TeacherProcess {
    child: Child,
    requests: Option<Sender<String>>,
    events: Receiver<Event>,
    stderr_tail: Arc<Mutex<VecDeque<String>>>,
    /// Set once the group is killed and the child reaped: its id may then be reused.
    stopped: bool,
}

impl TeacherProcess {
    /// Starts `sh -c command` in a new process group, answers limited to `answer_limit` bytes.
    pub(super) fn start(command: &str, answer_limit: usize) -> io::Result<Self> {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(command)
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            kill_group(&child);
            let _ = child.wait();
            return Err(io::Error::other("the process has no pipes"));
        };
        let (events_in, events) = std::sync::mpsc::channel();
        let (requests, requests_out) = std::sync::mpsc::channel::<String>();
        let writer_events = events_in.clone();
        std::thread::spawn(move || write_requests(stdin, &requests_out, &writer_events));
        std::thread::spawn(move || read_answers(stdout, answer_limit, &events_in));
        let stderr_tail = Arc::new(Mutex::new(VecDeque::with_capacity(STDERR_TAIL)));
        let tail = Arc::clone(&stderr_tail);
        std::thread::spawn(move || keep_tail(stderr, &tail));
        Ok(Self { child, requests: Some(requests), events, stderr_tail, stopped: false })
    }

    /// Hands a request line (without its line end) to the writer; `false` if it has stopped.
    pub(super) fn send(&self, request: String) -> bool {
        self.requests.as_ref().is_some_and(|r| r.send(request).is_ok())
    }

    /// The next event, waiting until `deadline`; `None` when the deadline passed first.
    pub(super) fn next_event(&self, deadline: Instant) -> Option<Event> {
        match self.events.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(event) => Some(event),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => Some(Event::Closed),
        }
    }

    /// An event that is already waiting, if any.
    pub(super) fn pending(&self) -> Option<Event> {
        match self.events.try_recv() {
            Ok(event) => Some(event),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Event::Closed),
        }
    }

    /// Why the process stopped answering: its exit status, if it exited, and stderr's last
    /// lines.
    pub(super) fn report(&mut self) -> String {
        std::thread::sleep(Duration::from_millis(50));
        let status = match self.exit() {
            Some(Exit::Code(code)) => format!("the process exited (exit status: {code})"),
            Some(Exit::Signal(signal)) => format!("the process was killed by signal {signal}"),
            None => "the process closed its output".to_owned(),
        };
        let tail = self
            .stderr_tail
            .lock()
            .map(|t| t.iter().cloned().collect::<Vec<_>>().join("\n"))
            .unwrap_or_default();
        if tail.is_empty() { status } else { format!("{status}; its last lines on stderr:\n{tail}") }
    }

    /// How the child ended, if it has, without reaping it: while it is not reaped its id, which
    /// is its group's, cannot be given to another process, so killing the group stays safe.
    fn exit(&self) -> Option<Exit> {
        use rustix::process::{Pid, WaitId, WaitIdOptions, waitid};
        let options = WaitIdOptions::EXITED | WaitIdOptions::NOHANG | WaitIdOptions::NOWAIT;
        let status = waitid(WaitId::Pid(Pid::from_child(&self.child)), options).ok()??;
        Some(match (status.exit_status(), status.terminating_signal()) {
            (Some(code), _) => Exit::Code(code),
            (None, Some(signal)) => Exit::Signal(signal),
            (None, None) => return None,
        })
    }

    /// Kills the process group and reaps the child (once).
    pub(super) fn stop(&mut self) {
        self.requests = None;
        if !self.stopped {
            kill_group(&self.child);
            let _ = self.child.wait();
            self.stopped = true;
        }
    }
}

/// How a child ended.
enum Exit {
    Code(i32),
    Signal(i32),
}

impl Drop for TeacherProcess {
    /// Closes the teacher's input, gives it [`EXIT_GRACE`] to exit, then kills its group (what
    /// it started included) and reaps it.
    fn drop(&mut self) {
        self.requests = None;
        let deadline = Instant::now() + EXIT_GRACE;
        while !self.stopped && Instant::now() < deadline && self.exit().is_none() {
            std::thread::sleep(Duration::from_millis(5));
        }
        self.stop();
    }
}

/// SIGKILL to the child's process group (its id is the child's: it was started as the
/// group's leader). A group already gone is not an error.
fn kill_group(child: &Child) {
    let group = rustix::process::Pid::from_child(child);
    let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
}

/// Writes each request and a line end, flushing; stops at the first failure, reporting it.
fn write_requests(mut stdin: std::process::ChildStdin, requests: &Receiver<String>, events: &Sender<Event>) {
    for request in requests {
        let written = stdin
            .write_all(request.as_bytes())
            .and_then(|()| stdin.write_all(b"\n"))
            .and_then(|()| stdin.flush());
        if written.is_err() {
            let _ = events.send(Event::WriteFailed);
            return;
        }
    }
}

/// Forwards each output line; stops at the end of the output, a line over `limit` bytes, or a
/// read error.
fn read_answers(stdout: std::process::ChildStdout, limit: usize, events: &Sender<Event>) {
    let mut reader = BufReader::new(stdout);
    let mut line = Vec::new();
    loop {
        line.clear();
        let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
        let event = match (&mut reader).take(cap).read_until(b'\n', &mut line) {
            Ok(0) => Event::Closed,
            Ok(_) if line.last() != Some(&b'\n') && line.len() > limit => Event::TooLong { limit },
            Ok(_) => {
                let text = line.strip_suffix(b"\n").unwrap_or(&line);
                let text = text.strip_suffix(b"\r").unwrap_or(text);
                match std::str::from_utf8(text) {
                    Ok(text) => Event::Line(text.to_owned()),
                    Err(e) => Event::ReadFailed(io::Error::new(io::ErrorKind::InvalidData, e)),
                }
            }
            Err(e) => Event::ReadFailed(e),
        };
        let more = matches!(event, Event::Line(_));
        if events.send(event).is_err() || !more {
            return;
        }
    }
}

/// Keeps the last [`STDERR_TAIL`] pieces of stderr, each at most [`STDERR_PIECE`] bytes.
fn keep_tail(stderr: std::process::ChildStderr, tail: &Mutex<VecDeque<String>>) {
    let mut reader = BufReader::new(stderr);
    let mut piece = Vec::new();
    loop {
        piece.clear();
        match (&mut reader).take(STDERR_PIECE).read_until(b'\n', &mut piece) {
            Ok(0) | Err(_) => return,
            Ok(_) => {
                let text = String::from_utf8_lossy(piece.strip_suffix(b"\n").unwrap_or(&piece)).into_owned();
                if let Ok(mut tail) = tail.lock() {
                    if tail.len() == STDERR_TAIL {
                        tail.pop_front();
                    }
                    tail.push_back(text);
                }
            }
        }
    }
}
