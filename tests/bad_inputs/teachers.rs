//! Teacher faults: `cmd:` teachers that crash, lie, flood, fall silent, answer twice, or leave a
//! process behind, through `kd distill` and `kd extract`. Each must end kd within the
//! time-out with an error naming the teacher and the batch, its processes stopped.

use std::path::Path;
use std::time::Duration;

use super::run::{Case, refused};
use super::{args, case};

const FAMILY: &str = "teacher fault";

/// The teacher process of kd-core's tests (standard library only) in `mode`, as a teacher spec.
pub fn fixture(mode: &str) -> String {
    let script = super::common::root().join("crates/kd-core/tests/fixtures/teacher.py");
    format!("cmd:python3 {} {mode}", script.display())
}

/// The cases, on the valid file of the data-file family.
pub fn cases(dir: &Path) -> Vec<Case> {
    let data = super::csv_files::valid(dir);
    let file = data.to_str().unwrap();
    let pid_file = dir.join("grandchild.pid");
    let grandchild = format!("grandchild {}", pid_file.display());
    let quick = ["--teacher-timeout", "1"];
    let batches = ["--batch-size", "10"];
    let faults: Vec<(String, Vec<&str>, &[&str])> = vec![
        (fixture("crash"), vec![], &["batch 0", "model file is corrupt"]),
        (fixture("malformed"), vec![], &["batch 0", "malformed JSON"]),
        (fixture("wrong_rows"), vec![], &["batch 0", "rows"]),
        (fixture("negative"), vec![], &["batch 0", "outside"]),
        (fixture("unnormalised"), vec![], &["batch 0", "sum"]),
        (fixture("nan"), vec![], &["batch 0", "NaN"]),
        (fixture("error"), vec![], &["batch 0", "feature 2 out of range"]),
        (fixture("three"), vec![], &["batch 0", "3 values"]),
        (fixture("crash_second"), batches.to_vec(), &["batch 1"]),
        (fixture("twice"), batches.to_vec(), &["twice"]),
        (fixture("flood"), vec![], &["batch 0", "without ending its line"]),
        (fixture("sleep"), quick.to_vec(), &["batch 0", "no answer within"]),
        (fixture("close_output"), quick.to_vec(), &["batch 0", "no answer"]),
        (fixture(&grandchild), quick.to_vec(), &["batch 0", "no answer within"]),
        ("cmd:exit 3".into(), vec![], &["batch 0", "exit status: 3"]),
        ("cmd:true".into(), vec![], &["batch 0", "exited"]),
        ("cmd:cat".into(), vec![], &["batch 0", "predictions"]),
        // Lines before any request (or, if kd asks first, a malformed answer).
        ("cmd:yes".into(), vec![], &["batch 0"]),
        ("cmd:/no/such/program".into(), vec![], &["batch 0", "not found"]),
        ("cmd:sleep 60".into(), quick.to_vec(), &["batch 0", "no answer within"]),
        // It answers before it is asked and exits: which kd sees first (the line or the closed
        // pipe) is a race, so only the teacher and batch are required.
        ("cmd:echo '{\"predictions\": []}'".into(), vec![], &["batch 0"]),
        ("cmd:head -c 100000000 /dev/zero".into(), vec![], &["batch 0", "without ending its line"]),
        ("cmd:sleep 300 & cat > /dev/null".into(), quick.to_vec(), &["batch 0", "no answer within"]),
    ];
    let mut cases = Vec::new();
    for (teacher, extra, words) in &faults {
        let base =
            args(&["distill", "--data", file, "--target", "y", "--features", "x1,x2", "--teacher", teacher]);
        let name = format!("distill with {}", teacher.rsplit('/').next().unwrap_or(teacher));
        let mut all_words = words.to_vec();
        all_words.push(teacher.split_whitespace().next().unwrap_or("cmd:"));
        cases.push(
            case(FAMILY, name, [base, args(extra)].concat(), refused(&all_words))
                .within(Duration::from_secs(30)),
        );
    }
    for (mode, extra, words) in [
        ("crash", vec![], &["model file is corrupt"][..]),
        ("nan", vec![], &["NaN"]),
        ("flood", vec![], &["without ending its line"]),
        ("sleep", quick.to_vec(), &["no answer within"]),
    ] {
        let teacher = fixture(mode);
        let base =
            args(&["extract", "--data", file, "--target", "y", "--features", "x1,x2", "--teacher", &teacher]);
        cases.push(
            case(
                FAMILY,
                format!("extract with teacher.py {mode}"),
                [base, args(&extra)].concat(),
                refused(words),
            )
            .within(Duration::from_secs(30)),
        );
    }
    for (what, model) in [("a folder", dir.to_path_buf()), ("a CSV file", data.clone())] {
        let teacher = format!("torchscript:{}", model.display());
        let shown = model.display().to_string();
        let base =
            args(&["distill", "--data", file, "--target", "y", "--features", "x1,x2", "--teacher", &teacher]);
        cases.push(case(
            FAMILY,
            format!("distill with {what} as a TorchScript model"),
            base,
            refused(&[&shown]),
        ));
    }
    cases
}
