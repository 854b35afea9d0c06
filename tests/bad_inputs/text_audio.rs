//! Bad arguments of the text and speech paths of `kd distill`: a `--test` file of held-out
//! messages that cannot be read or does not fit the data file, and log-mel settings out of
//! range (with libtorch, which the speech path needs).

use std::path::Path;

use super::run::{Case, refused};
use super::{args, case};

const FAMILY: &str = "bad text or speech argument";

/// `label,text,p_ham,p_spam` rows: `n` messages from `first`, every fourth spam.
fn messages(first: usize, n: usize) -> String {
    let rows: String = (first..first + n)
        .map(|i| {
            let (label, text, p) = if i % 4 == 0 {
                ("spam", "free prize txt now", 0.9)
            } else {
                ("ham", "see you at home", 0.1)
            };
            format!("{label},{text} {i},{},{p}\n", 1.0 - p)
        })
        .collect();
    format!("label,text,p_ham,p_spam\n{rows}")
}

/// The cases, with their files written in a folder of their own in `dir`.
pub fn cases(dir: &Path) -> Vec<Case> {
    let dir = dir.join("text");
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let train = write("messages.csv", &messages(0, 40));
    let distill = |test: &str| {
        args(&[
            "distill",
            "--data",
            &train,
            "--target",
            "label",
            "--text",
            "text",
            "--student",
            "sparse",
            "--teacher",
            "column:p_ham,p_spam",
            "--test",
            test,
        ])
    };
    let other_class = write("other_class.csv", &messages(100, 8).replacen("\nham,", "\nmaybe,", 1));
    let no_text = write("no_text.csv", "label,body,p_ham,p_spam\nham,see you,0.9,0.1\nspam,win,0.1,0.9\n");
    let one_class =
        write("one_class.csv", "label,text,p_ham,p_spam\nham,see you,0.9,0.1\nham,at home,0.9,0.1\n");
    let no_teacher = write("no_teacher.csv", "label,text\nham,see you\nspam,win now\n");
    let mut cases = vec![
        case(
            FAMILY,
            "distill --text: a test file that is not there",
            distill("/no/test.csv"),
            refused(&["/no/test.csv"]),
        ),
        case(
            FAMILY,
            "distill --text: a test file with a class the data file lacks",
            distill(&other_class),
            refused(&[&other_class, "line 3", "class 'maybe'"]),
        ),
        case(
            FAMILY,
            "distill --text: a test file without the text column",
            distill(&no_text),
            refused(&["text"]),
        ),
        case(
            FAMILY,
            "distill --text: a test file of one class",
            distill(&one_class),
            refused(&[&one_class, "single class"]),
        ),
        case(
            FAMILY,
            "distill --text: a test file without the teacher's columns",
            distill(&no_teacher),
            refused(&["p_ham"]),
        ),
        case(
            FAMILY,
            "distill --text: a legal test file",
            distill(&write("test.csv", &messages(100, 12))),
            super::run::Expect::Accepted,
        ),
    ];
    if cfg!(feature = "torch") {
        for (flag, value) in [
            ("--n-fft", "255"),
            ("--n-fft", "0"),
            ("--n-fft", "abc"),
            ("--hop", "0"),
            ("--mels", "0"),
            ("--mels", "-1"),
            ("--fmin", "-1"),
            ("--fmax", "5000"),
            ("--top-db", "-1"),
            ("--db-ref", "loud"),
            ("--mfcc", "0"),
            ("--mfcc", "40"),
        ] {
            cases.push(case(
                FAMILY,
                format!("distill --audio {flag} {value}"),
                args(&["distill", "--audio", "data/speech/fsdd_recordings.tar.gz", flag, value]),
                refused(&[flag]),
            ));
        }
    }
    cases
}
