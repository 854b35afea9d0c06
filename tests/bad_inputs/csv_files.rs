//! Malformed data files, each read by `kd describe`, `kd distill`, `kd hypotheses` and
//! `kd validate`. Each file is a small valid file (`x1`, `x2`, `colour`, the teacher's
//! probability `p`, the outcome `y`) with one fault; what each command must do depends on
//! whether it reads the faulty column.

use std::path::Path;

use super::run::{Case, Expect, refused};
use super::{args, case, on_stored_scores};

const FAMILY: &str = "malformed data file";
const HEADER: &str = "x1,x2,colour,p,y";
const ROWS: usize = 80;

/// Row `i` (0-based) of the valid file.
fn row(i: usize) -> [String; 5] {
    let x1 = (i % 17) as f64 * 0.5 - 3.0;
    let x2 = 1.0 + 0.8 * x1 + ((i * 7) % 11) as f64 * 0.1;
    let colour = ["red", "blue", "green"][i % 3];
    let p = 1.0 / (1.0 + (-(0.7 * x1 - 0.2)).exp());
    let y = usize::from((i * 37 % 100) as f64 / 100.0 < p);
    [format!("{x1}"), format!("{x2:.3}"), colour.to_owned(), format!("{p:.6}"), y.to_string()]
}

fn rows() -> Vec<[String; 5]> {
    (0..ROWS).map(row).collect()
}

/// The file's text; `line` counts the header as line 1, so data row `i` is on line `i + 2`.
fn text(header: &str, rows: &[[String; 5]]) -> String {
    let mut out = format!("{header}\n");
    for r in rows {
        out.push_str(&r.join(","));
        out.push('\n');
    }
    out
}

/// Sets column `col` of the row on `line` (header = line 1).
fn with_cell(line: usize, col: usize, value: &str) -> Vec<u8> {
    let mut rows = rows();
    rows[line - 2][col] = value.to_owned();
    text(HEADER, &rows).into_bytes()
}

/// What one command must do with a faulty file.
#[derive(Clone)]
enum Must {
    /// Read it: the fault is in a column the command does not use, or is legal.
    Read,
    /// Refuse it, naming the file and these words.
    Refuse(Vec<&'static str>),
    /// Either read it or refuse it naming the file and these words.
    Either(Vec<&'static str>),
    /// Refuse it naming these words (a fault of the arguments' fit to the file, not of a line).
    Says(Vec<&'static str>),
}

/// A fault, the file's bytes, and what describe, distill, hypotheses and validate must do.
struct Fault {
    name: &'static str,
    bytes: Vec<u8>,
    file_name: String,
    expect: [Must; 4],
}

fn fault(name: &'static str, bytes: Vec<u8>, expect: [Must; 4]) -> Fault {
    Fault { name, bytes, file_name: format!("{name}.csv"), expect }
}

#[allow(clippy::too_many_lines)] // one line per fault
fn faults() -> Vec<Fault> {
    let all = |words: Vec<&'static str>| std::array::from_fn(|_| Must::Refuse(words.clone()));
    let ok = || Must::Read;
    let no = Must::Refuse;
    let valid = text(HEADER, &rows());
    let mut scaled = rows();
    for r in &mut scaled {
        let x1: f64 = r[0].parse().unwrap();
        r[0] = format!("{:e}", x1 * 1e39);
    }
    let mut one_class = rows();
    for r in &mut one_class {
        r[4] = "0".into();
    }
    // One default: DeLong's standard error needs two of each class.
    let mut one_default = one_class.clone();
    one_default[3][4] = "1".into();
    let mut huge_labels = rows();
    for (i, r) in huge_labels.iter_mut().enumerate() {
        r[4] = format!("{}", 9_007_199_254_740_992_u64 + (i % 2) as u64);
    }
    let mut no_x1 = rows();
    for r in &mut no_x1 {
        r[0] = String::new();
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, valid.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let mut faults = vec![
        fault("empty", Vec::new(), all(vec![])),
        fault("header_only", format!("{HEADER}\n").into_bytes(), all(vec![])),
        // A header cell without a name is legal (pandas writes one for its index), but not a column
        // named in the arguments.
        fault(
            "blank_column_name",
            text(",x2,colour,p,y", &rows()).into_bytes(),
            [ok(), no(vec!["x1"]), no(vec!["x1"]), ok()],
        ),
        fault("duplicate_column_name", text("x1,x1,colour,p,y", &rows()).into_bytes(), all(vec!["x1"])),
        fault("short_row", valid.replacen("\n-3,", "\n", 1).into_bytes(), all(vec!["line 2"])),
        fault("long_row", with_cell(10, 4, "1,9"), all(vec!["line 10"])),
        fault(
            "nul_byte",
            with_cell(7, 3, "0.2\0"),
            [no(vec!["line 7", "\\0"]), no(vec!["line 7", "\\0"]), ok(), no(vec!["line 7", "\\0"])],
        ),
        fault(
            "invalid_utf8",
            {
                let mut b = with_cell(8, 2, "r@d");
                let at = b.iter().position(|&c| c == b'@').unwrap();
                b[at] = 0xff;
                b
            },
            [no(vec!["line 8"]), no(vec!["line 8"]), ok(), ok()],
        ),
        fault("unclosed_quote", with_cell(9, 2, "\"red"), all(vec![])),
        fault(
            "infinite_probability",
            with_cell(11, 3, "inf"),
            [no(vec!["line 11"]), no(vec!["line 11"]), ok(), no(vec!["line 11"])],
        ),
        fault(
            "nan_probability",
            with_cell(11, 3, "NaN"),
            [no(vec!["line 11"]), no(vec!["line 11"]), ok(), no(vec!["line 11"])],
        ),
        fault(
            "overflowing_feature",
            with_cell(12, 0, "1e400"),
            [no(vec!["line 12"]), no(vec!["line 12"]), no(vec!["line 12"]), ok()],
        ),
        fault(
            "probability_above_one",
            with_cell(13, 3, "1.7"),
            [ok(), no(vec!["1.7"]), ok(), no(vec!["1.7"])],
        ),
        fault(
            "negative_probability",
            with_cell(14, 3, "-0.2"),
            [ok(), no(vec!["-0.2"]), ok(), no(vec!["-0.2"])],
        ),
        fault(
            "third_class",
            with_cell(5, 4, "2"),
            [ok(), Must::Says(vec!["column:p", "3 classes"]), ok(), no(vec!["y"])],
        ),
        // kd validate reads a portfolio of one class or one default (a low-default portfolio):
        // discriminatory power is a note there, the calibration tests stand.
        fault("one_class", text(HEADER, &one_class).into_bytes(), [ok(), no(vec!["y"]), ok(), ok()]),
        fault("one_default", text(HEADER, &one_default).into_bytes(), [ok(), ok(), ok(), ok()]),
        // 9007199254740993 reads as 9007199254740992: two labels that f64 cannot tell apart.
        fault(
            "labels_beyond_2_53",
            text(HEADER, &huge_labels).into_bytes(),
            [ok(), no(vec!["line 2", "2^53"]), ok(), no(vec!["y"])],
        ),
        fault(
            "missing_feature_cell",
            with_cell(6, 0, ""),
            [ok(), no(vec!["line 6", "x1"]), no(vec!["line 6", "x1"]), ok()],
        ),
        fault(
            "empty_feature_column",
            text(HEADER, &no_x1).into_bytes(),
            [ok(), no(vec!["x1"]), no(vec!["x1"]), ok()],
        ),
        fault(
            "empty_row",
            {
                let mut rows = rows();
                rows[13] = Default::default();
                text(HEADER, &rows).into_bytes()
            },
            [ok(), no(vec!["line 15"]), no(vec!["line 15"]), no(vec!["line 15"])],
        ),
        fault(
            "byte_order_mark",
            [b"\xef\xbb\xbf".as_slice(), valid.as_bytes()].concat(),
            [ok(), ok(), ok(), ok()],
        ),
        fault("crlf_line_ends", valid.replace('\n', "\r\n").into_bytes(), [ok(), ok(), ok(), ok()]),
        fault("trailing_blank_lines", format!("{valid}\n\n\n").into_bytes(), [ok(), ok(), ok(), ok()]),
        fault(
            "semicolons",
            valid.replace(',', ";").into_bytes(),
            [no(vec!["--delimiter"]), no(vec!["y"]), no(vec!["x2"]), no(vec!["p"])],
        ),
        fault("feature_beyond_f32", text(HEADER, &scaled).into_bytes(), [ok(), ok(), ok(), ok()]),
    ];
    let mut truncated = fault("truncated_gzip", gz[..gz.len() / 2].to_vec(), all(vec![]));
    truncated.file_name = "truncated_gzip.csv.gz".into();
    faults.push(truncated);
    let junk = (0..4096_u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let mut binary = fault("binary_junk", junk, all(vec![]));
    binary.expect[0] = Must::Either(vec![]);
    faults.push(binary);
    faults
}

/// The cases: every fault through every command, plus a folder and a missing file.
pub fn cases(dir: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    for fault in faults() {
        let path = dir.join(&fault.file_name);
        std::fs::write(&path, &fault.bytes).unwrap();
        for (command, expect) in commands(&path).into_iter().zip(fault.expect) {
            let name = format!("{} through {}", fault.name, command[0]);
            let expect = match expect {
                Must::Read => Expect::Accepted,
                Must::Refuse(mut words) => {
                    words.push(&fault.file_name);
                    refused(&words)
                }
                Must::Says(words) => refused(&words),
                Must::Either(mut words) => {
                    words.push(&fault.file_name);
                    Expect::Either(words.iter().map(|w| (*w).to_owned()).collect())
                }
            };
            cases.push(case(FAMILY, name, command, expect));
        }
    }
    for (name, path) in [("a folder", dir.to_path_buf()), ("a missing file", dir.join("nowhere.csv"))] {
        let shown = path.display().to_string();
        for command in commands(&path) {
            cases.push(case(FAMILY, format!("{name} through {}", command[0]), command, refused(&[&shown])));
        }
    }
    cases
}

/// `kd describe`, `kd distill` (the stored teacher `p`), `kd hypotheses` and `kd validate` on
/// the file at `path`.
pub fn commands(path: &Path) -> [Vec<String>; 4] {
    let file = path.to_str().unwrap();
    [
        args(&["describe", "--data", file]),
        on_stored_scores("distill", file, &["--features", "x1,x2,colour"]),
        args(&["hypotheses", "--data", file, "--target", "x2", "--features", "x1"]),
        args(&["validate", "--data", file, "--score", "p", "--outcome", "y"]),
    ]
}

/// The valid file, for the other families.
pub fn valid(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("valid.csv");
    std::fs::write(&path, text(HEADER, &rows())).unwrap();
    path
}
