//! The teacher adapters, against a real teacher process (tests/fixtures/teacher.py, standard
//! library only) and in-process closures.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

use std::time::Duration;

use kd_core::data::{Dataset, DatasetSpec, Feature, ReadOptions, read_csv};
use kd_core::teacher::{
    CmdOptions, CmdTeacher, ColumnTeacher, FnTeacher, Teacher, TeacherInfo, TeacherSpec, build_teacher,
};
use kd_core::{Error, Task};
use ndarray::{Array2, array};

fn python() -> String {
    std::env::var("KD_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

fn command(mode: &str) -> String {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/teacher.py");
    format!("{} {} {mode}", python(), script.display())
}

fn features() -> Vec<Feature> {
    vec![
        Feature { name: "x".into(), levels: None },
        Feature { name: "colour".into(), levels: Some(vec!["blue".into(), "red".into()]) },
    ]
}

fn spawn(mode: &str, task: Task, batch_size: usize) -> CmdTeacher {
    spawn_with_timeout(mode, task, batch_size, Duration::from_secs(20))
}

fn spawn_with_timeout(mode: &str, task: Task, batch_size: usize, timeout: Duration) -> CmdTeacher {
    let options = CmdOptions { batch_size, timeout };
    CmdTeacher::spawn(&command(mode), task, &features(), options).expect("the teacher starts")
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

#[test]
fn a_process_teacher_answers_in_batches_with_categories_as_strings() {
    let mut teacher = spawn("binary", Task::Binary, 2);
    let x = array![[0.5, 1.0], [-1.0, 0.0], [2.0, 1.0], [0.0, 0.0], [0.25, 0.0]];
    let p = teacher.predict(x.view()).expect("predictions");
    assert_eq!(p.dim(), (5, 2));
    // "red" (code 1) adds one to the score, so the teacher saw the level's name.
    for (row, z) in [0.5 + 1.0, -1.0, 3.0, 0.0, 0.25].iter().enumerate() {
        assert!((p[[row, 1]] - sigmoid(*z)).abs() < 1e-12, "row {row}");
    }
    // The process is reused: a second call works and continues the batch count.
    let again = teacher.predict(x.view()).expect("second call");
    assert_eq!(again, p);
}

#[test]
fn a_regression_teacher_may_answer_plain_values() {
    let mut teacher = spawn("regression", Task::Regression, 100);
    let p = teacher.predict(array![[1.5, 0.0], [2.0, 1.0]].view()).expect("values");
    assert_eq!(p, array![[1.5], [3.0]]);
}

fn teacher_error(mode: &str, task: Task) -> (usize, String) {
    teacher_error_within(mode, task, Duration::from_secs(20))
}

fn teacher_error_within(mode: &str, task: Task, timeout: Duration) -> (usize, String) {
    let mut teacher = spawn_with_timeout(mode, task, 2, timeout);
    let x = array![[0.5, 1.0], [1.0, 0.0], [2.0, 1.0]];
    match teacher.predict(x.view()) {
        Err(Error::Teacher { teacher, batch, reason }) => {
            assert!(teacher.starts_with("cmd:") && teacher.contains(mode), "{teacher}");
            (batch, reason)
        }
        other => panic!("mode {mode}: expected a teacher error, got {other:?}"),
    }
}

#[test]
fn misbehaving_teachers_are_named_errors() {
    let cases = [
        ("crash", "exited"),
        ("malformed", "malformed JSON"),
        ("wrong_rows", "returned 1 rows"),
        ("negative", "outside [0, 1]"),
        ("unnormalised", "sum to 1.4"),
        ("nan", "NaN"),
        ("error", "feature 2 out of range"),
    ];
    for (mode, words) in cases {
        let (batch, reason) = teacher_error(mode, Task::Binary);
        assert_eq!(batch, 0, "{mode}");
        assert!(reason.contains(words), "{mode}: {reason}");
    }
    let (_, reason) = teacher_error("crash", Task::Binary);
    assert!(reason.contains("model file is corrupt"), "stderr is quoted: {reason}");
    let (batch, _) = teacher_error("crash_second", Task::Binary);
    assert_eq!(batch, 1, "the failing batch is named");
    let (_, reason) = teacher_error("three", Task::Binary);
    assert!(reason.contains("3 values; expected 2"), "{reason}");
}

#[test]
fn a_silent_teacher_times_out() {
    let options = CmdOptions { batch_size: 10, timeout: Duration::from_millis(300) };
    let mut teacher =
        CmdTeacher::spawn(&command("sleep"), Task::Binary, &features(), options).expect("start");
    let error = teacher.predict(array![[0.0, 0.0]].view()).expect_err("time-out");
    assert!(error.to_string().contains("no answer within"), "{error}");
}

/// Whether process `pid` is gone (or a zombie waiting for init to reap it: it runs no more).
fn gone(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map_or(true, |stat| stat.rsplit(')').next().is_some_and(|rest| rest.trim_start().starts_with('Z')))
}

#[test]
fn a_teacher_whose_grandchild_holds_the_output_is_stopped_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("grandchild.pid");
    let options = CmdOptions { batch_size: 10, timeout: Duration::from_millis(500) };
    let started = std::time::Instant::now();
    let mut teacher = CmdTeacher::spawn(
        &format!("{} {}", command("grandchild"), pid_file.display()),
        Task::Binary,
        &features(),
        options,
    )
    .expect("start");
    let error = teacher.predict(array![[0.0, 0.0]].view()).expect_err("time-out");
    assert!(error.to_string().contains("no answer within"), "{error}");
    drop(teacher);
    assert!(started.elapsed() < Duration::from_secs(15), "took {:?}", started.elapsed());
    let pid = std::fs::read_to_string(&pid_file).expect("the teacher wrote its child's id");
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while !gone(&pid) && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(gone(&pid), "the teacher's own child {pid} still runs");
}

#[test]
fn floods_closed_outputs_and_double_answers_are_refused_at_once() {
    // A teacher that closes its output is seen at once where it is the process kd started; behind
    // `sh -c`, which keeps the pipe open, it meets the time-out like any silent teacher.
    for (mode, words) in [("flood", "without ending its line"), ("close_output", "no answer")] {
        let started = std::time::Instant::now();
        let (batch, reason) = teacher_error_within(mode, Task::Binary, Duration::from_secs(2));
        assert_eq!(batch, 0, "{mode}");
        assert!(reason.contains(words), "{mode}: {reason}");
        assert!(started.elapsed() < Duration::from_secs(10), "{mode} took {:?}", started.elapsed());
    }
    let mut teacher = spawn("twice", Task::Binary, 10);
    teacher.predict(array![[0.5, 1.0]].view()).expect("the first answer is right");
    std::thread::sleep(Duration::from_millis(300));
    let error = teacher.predict(array![[0.5, 1.0]].view()).expect_err("the second line was not asked for");
    assert!(error.to_string().contains("before it was asked for batch 1"), "{error}");
}

#[test]
fn the_time_out_is_range_checked() {
    for seconds in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e9] {
        let error = CmdOptions::default().with_timeout_secs(seconds).expect_err("out of range");
        assert!(error.to_string().contains("teacher time-out"), "{error}");
    }
    assert_eq!(CmdOptions::default().with_timeout_secs(2.5).unwrap().timeout, Duration::from_millis(2500));
}

#[test]
fn a_command_that_does_not_exist_fails_on_first_use() {
    let mut teacher = CmdTeacher::spawn("/no/such/teacher", Task::Binary, &features(), CmdOptions::default())
        .expect("sh starts");
    let error = teacher.predict(array![[0.0, 0.0]].view()).expect_err("no teacher");
    assert!(error.to_string().contains("no answer") || error.to_string().contains("cannot send"), "{error}");
}

#[test]
fn closures_are_checked_like_any_teacher() {
    let mut garbage = FnTeacher::new("garbage", Task::Binary, 1, |x: ndarray::ArrayView2<f64>| {
        Ok(Array2::from_elem((x.nrows(), 2), 0.9))
    });
    let error = garbage.predict(array![[1.0]].view()).expect_err("sums to 1.8");
    assert!(error.to_string().contains("teacher 'garbage', batch 0"), "{error}");
    let error = garbage.predict(array![[1.0, 2.0]].view()).expect_err("wrong width");
    assert!(matches!(error, Error::ShapeMismatch { .. }));
}

/// An adapter that implements only the raw query, answering batch 1 with NaN.
struct Raw {
    info: TeacherInfo,
    seen: Vec<(usize, usize)>,
}

impl Teacher for Raw {
    fn info(&self) -> &TeacherInfo {
        &self.info
    }
    fn info_mut(&mut self) -> &mut TeacherInfo {
        &mut self.info
    }
    fn batch_size(&self) -> usize {
        2
    }
    fn query(&mut self, x: ndarray::ArrayView2<'_, f64>, batch: usize) -> kd_core::Result<Array2<f64>> {
        self.seen.push((batch, x.nrows()));
        let value = if batch == 1 { f64::NAN } else { 1.0 };
        Ok(Array2::from_elem((x.nrows(), 1), value))
    }
}

#[test]
fn the_provided_predict_batches_counts_and_checks_every_adapter() {
    let mut raw = Raw { info: TeacherInfo::new("raw", Task::Regression, 1), seen: Vec::new() };
    assert_eq!(raw.predict(array![[1.0], [2.0]].view()).unwrap(), array![[1.0], [1.0]]);
    let error = raw.predict(array![[1.0], [2.0], [3.0]].view()).expect_err("NaN in batch 1");
    assert!(error.to_string().contains("teacher 'raw', batch 1"), "{error}");
    assert_eq!(raw.seen, vec![(0, 2), (1, 2)], "rows cut into batches of two, numbered across calls");
    assert!(matches!(raw.predict(array![[1.0, 2.0]].view()), Err(Error::ShapeMismatch { .. })));
    assert_eq!(raw.predict(Array2::zeros((0, 1)).view()).unwrap().dim(), (0, 1), "no rows, no query");
    assert_eq!(raw.info().batches.asked(), 2);
}

fn credit_like() -> (tempfile::TempDir, kd_core::data::Table) {
    let dir = tempfile::tempdir().expect("folder");
    let path = dir.path().join("scores.csv");
    std::fs::write(&path, "age,score,y\n30,0.2,0\n40,0.9,1\n50,,1\n60,1.5,0\n").expect("write");
    let table = read_csv(&path, &ReadOptions::default()).expect("read");
    (dir, table)
}

#[test]
fn a_column_teacher_serves_its_rows_and_refuses_new_points() -> anyhow::Result<()> {
    let (_dir, table) = credit_like();
    let spec: TeacherSpec = "column:score".parse()?;
    let data = Dataset::from_table(
        &table,
        &DatasetSpec { target: "y".into(), exclude: spec.output_columns().to_vec(), ..Default::default() },
    )?;
    assert_eq!(data.features().len(), 1, "the teacher's column is not a feature");
    let mut teacher = build_teacher(&spec, &table, &data, CmdOptions::default())?;
    assert!(!teacher.is_queryable());
    assert_eq!(teacher.predict_rows(&data, &[0, 1])?, array![[0.8, 0.2], [0.09999999999999998, 0.9]]);
    let missing = teacher.predict_rows(&data, &[2]).expect_err("missing output");
    assert!(missing.to_string().contains("line 4, column 2"), "{missing}");
    let out_of_range = teacher.predict_rows(&data, &[3]).expect_err("1.5");
    assert!(
        out_of_range.to_string().contains("line 5") && out_of_range.to_string().contains("not a probability"),
        "{out_of_range}"
    );
    assert!(matches!(teacher.predict(data.x().view()), Err(Error::TeacherNotQueryable { .. })));
    Ok(())
}

#[test]
fn a_column_teacher_needs_as_many_columns_as_classes() {
    let (_dir, table) = credit_like();
    let error =
        ColumnTeacher::from_table(&table, &["score".into()], Task::Multiclass(3), 1).expect_err("3 classes");
    assert!(error.to_string().contains("3 columns"), "{error}");
}

#[test]
fn teacher_specs_parse_or_explain() {
    assert_eq!(
        "cmd:python3 t.py --x".parse::<TeacherSpec>().unwrap(),
        TeacherSpec::Cmd("python3 t.py --x".into())
    );
    assert_eq!(
        "column:p0, p1".parse::<TeacherSpec>().unwrap(),
        TeacherSpec::Column(vec!["p0".into(), "p1".into()])
    );
    assert!(matches!(
        "torchscript:m.pt?output=logits&device=cpu".parse::<TeacherSpec>().unwrap(),
        TeacherSpec::TorchScript { .. }
    ));
    for bad in ["python3 t.py", "cmd:", "torchscript:m.pt?output=odds", "sql:select"] {
        let error = bad.parse::<TeacherSpec>().expect_err(bad);
        assert!(error.to_string().contains(bad.split('?').next().unwrap_or(bad)), "{error}");
    }
}
