//! What the saved-file tests share: a three-class tree on a numeric feature `x` and a
//! categorical one `letter`, wrapped as the file `kd distill` writes.

use kd_students::tree::Tree;
use kd_students::{SavedStudent, Student};

/// `tree` (fitted on `x` and `letter` with these `levels`) as a saved multiclass student.
pub fn wrap(tree: Tree, levels: Vec<Option<Vec<String>>>) -> SavedStudent {
    SavedStudent {
        format: "kd-student".into(),
        version: kd_students::FORMAT_VERSION,
        task: "multiclass".into(),
        target: "y".into(),
        features: vec!["x".into(), "letter".into()],
        levels,
        classes: Some(vec!["0".into(), "1".into(), "2".into()]),
        teacher: None,
        ranges: Vec::new(),
        student: Student::Tree(tree),
    }
}
