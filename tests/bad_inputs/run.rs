//! Running the corpus: each case in its own process group with a time limit, two at a time.

use std::fmt;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// What kd must do with a case.
#[derive(Debug, Clone)]
pub enum Expect {
    /// Exit code 2, nothing on stdout, and each word in the message.
    Refused(Vec<String>),
    /// Exit code 0: the input is legal.
    Accepted,
    /// Either, where both are right (a mutated number that may still be a valid model): exit
    /// code 0, or a refusal naming each word.
    Either(Vec<String>),
}

/// Refused, naming each of `words`.
pub fn refused(words: &[&str]) -> Expect {
    Expect::Refused(words.iter().map(|w| (*w).to_owned()).collect())
}

/// One case of the corpus.
pub struct Case {
    /// Its family: malformed CSV, bad argument, teacher fault, corrupted model.
    pub family: &'static str,
    /// What it tries, in a few words.
    pub name: String,
    /// kd's arguments.
    pub args: Vec<String>,
    /// What kd must do.
    pub expect: Expect,
    /// How long kd may take.
    pub limit: Duration,
}

impl Case {
    /// The case with another time limit.
    pub fn within(mut self, limit: Duration) -> Self {
        self.limit = limit;
        self
    }
}

/// What kd did.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Refused as the case expects.
    Refused,
    /// Succeeded where the input is legal.
    Accepted,
    /// A panic, an abort or a signal.
    Panic(String),
    /// Still running at the time limit (then killed with its process group).
    Hang,
    /// An error without the words the case asks for, or with something on stdout.
    Unclear(String),
    /// Succeeded on input that must be refused: a silent result.
    Silent,
    /// Refused input that is legal, or an exit code other than 0 and 2.
    Wrong(String),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refused => write!(f, "refused clearly"),
            Self::Accepted => write!(f, "accepted (legal input)"),
            Self::Panic(e) => write!(f, "PANIC: {e}"),
            Self::Hang => write!(f, "HANG past the time limit"),
            Self::Unclear(e) => write!(f, "UNCLEAR: {e}"),
            Self::Silent => write!(f, "SILENT: exit 0 on input that must be refused"),
            Self::Wrong(e) => write!(f, "WRONG: {e}"),
        }
    }
}

impl Outcome {
    fn column(&self) -> usize {
        match self {
            Self::Refused => 0,
            Self::Accepted => 1,
            Self::Panic(_) => 2,
            Self::Hang => 3,
            Self::Silent => 4,
            Self::Unclear(_) => 5,
            Self::Wrong(_) => 6,
        }
    }
}

/// Runs every case, two at a time (the machines that run the suite have two cores).
pub fn all(cases: &[Case]) -> Vec<Outcome> {
    let next = AtomicUsize::new(0);
    let outcomes = Mutex::new(vec![None; cases.len()]);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(i) else { break };
                    let outcome = one(case);
                    outcomes.lock().unwrap()[i] = Some(outcome);
                }
            });
        }
    });
    outcomes.into_inner().unwrap().into_iter().map(|o| o.expect("every case ran")).collect()
}

fn one(case: &Case) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kd"))
        .args(&case.args)
        .current_dir(super::common::root())
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kd starts");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > case.limit {
            let _ = Command::new("kill").args(["-KILL", &format!("-{}", child.id())]).status();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let Some(status) = status else { return Outcome::Hang };
    let (stdout, stderr) = (out.join().unwrap(), String::from_utf8_lossy(&err.join().unwrap()).into_owned());
    judge(case, status.code(), &stdout, &stderr)
}

fn judge(case: &Case, code: Option<i32>, stdout: &[u8], stderr: &str) -> Outcome {
    let last = stderr.lines().last().unwrap_or("").to_owned();
    if stderr.contains("panicked at") || code.is_none() || code == Some(101) {
        return Outcome::Panic(stderr.lines().take(3).collect::<Vec<_>>().join(" | "));
    }
    let words = match &case.expect {
        Expect::Refused(words) | Expect::Either(words) => words.as_slice(),
        Expect::Accepted => &[],
    };
    match (code, &case.expect) {
        (Some(0), Expect::Accepted | Expect::Either(_)) => Outcome::Accepted,
        (Some(0), Expect::Refused(_)) => Outcome::Silent,
        (Some(2), Expect::Refused(_) | Expect::Either(_)) => {
            if !stdout.is_empty() {
                return Outcome::Unclear(format!("{} bytes on stdout; {last}", stdout.len()));
            }
            let said = normalise(stderr);
            match words.iter().find(|w| !said.contains(&normalise(w))) {
                Some(missing) => Outcome::Unclear(format!("no '{missing}' in: {}", stderr.trim())),
                None => Outcome::Refused,
            }
        }
        (Some(2), Expect::Accepted) => Outcome::Wrong(format!("refused legal input: {}", stderr.trim())),
        (code, _) => Outcome::Wrong(format!("exit code {code:?}: {}", stderr.trim())),
    }
}

/// Lower case, with `_` and spaces read as `-`: an option is named `--test-fraction`,
/// `test_fraction` or "test fraction".
fn normalise(text: &str) -> String {
    text.to_lowercase().replace(['_', ' '], "-")
}

/// The count of each outcome per family, as a Markdown table.
pub fn table(cases: &[Case], outcomes: &[Outcome]) -> String {
    let mut families: Vec<&str> = cases.iter().map(|c| c.family).collect();
    families.dedup();
    let mut lines = vec![
        "| family | cases | refused clearly | legal, accepted | panic | hang | silent | unclear | wrong |"
            .to_owned(),
        "|---|---|---|---|---|---|---|---|---|".to_owned(),
    ];
    let mut totals = [0_usize; 7];
    for family in &families {
        let mut counts = [0_usize; 7];
        for (case, outcome) in cases.iter().zip(outcomes) {
            if case.family == *family {
                counts[outcome.column()] += 1;
                totals[outcome.column()] += 1;
            }
        }
        lines.push(row(family, &counts));
    }
    lines.push(row("all", &totals));
    lines.join("\n")
}

fn row(name: &str, counts: &[usize; 7]) -> String {
    let total: usize = counts.iter().sum();
    let cells: Vec<String> = counts.iter().map(ToString::to_string).collect();
    format!("| {name} | {total} | {} |", cells.join(" | "))
}
