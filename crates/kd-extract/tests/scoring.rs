//! A saved model scored through `SavedModel`: the loader picked by the file's `format`, the
//! rows it cannot score kept in place with their reason, and a scorecard's score after its
//! probabilities.

use std::path::Path;

use kd_core::data::{Dataset, DatasetSpec, FitTarget, ReadOptions, TaskHint, table_from_cells};
use kd_extract::{RowScore, SavedModel, Scores};
use kd_students::{SavedStudent, Student, StudentKind, Unseen, fit_student};

/// Rows of a numeric `income` (NaN: a missing cell) and a categorical `region`, the class 1
/// when `income > 5`.
fn table(incomes: &[f64], regions: &[&str]) -> anyhow::Result<kd_core::data::Table> {
    let cells = vec![
        incomes.iter().map(|v| if v.is_nan() { String::new() } else { v.to_string() }).collect(),
        regions.iter().map(|r| r.to_string()).collect(),
        incomes.iter().map(|&v| if v > 5.0 { "1" } else { "0" }.to_string()).collect(),
    ];
    let lines = (2..2 + incomes.len() as u64).collect();
    let options = ReadOptions { categorical: vec!["region".into()], ..ReadOptions::default() };
    table_from_cells(
        Path::new("rows"),
        vec!["income".into(), "region".into(), "y".into()],
        cells,
        lines,
        &options,
    )
    .map_err(Into::into)
}

fn saved(kind: StudentKind) -> anyhow::Result<(SavedStudent, kd_core::data::Table)> {
    let incomes: Vec<f64> = (0..40).map(|i| f64::from(i) / 4.0).collect();
    let regions: Vec<&str> = (0..40).map(|i| if i % 2 == 0 { "north" } else { "south" }).collect();
    let train = table(&incomes, &regions)?;
    let spec = DatasetSpec { target: "y".into(), task: TaskHint::Auto, ..DatasetSpec::default() };
    let data = Dataset::from_table(&train, &spec)?;
    let y: Vec<usize> = incomes.iter().map(|&v| usize::from(v > 5.0)).collect();
    let params = kind.default_params()?;
    let student = fit_student(
        &params,
        data.x().view(),
        data.features(),
        data.task(),
        FitTarget::Classes { y: &y, n_classes: 2 },
    )?;
    Ok((SavedStudent::new(student, &data, None), train))
}

#[test]
fn a_student_file_scores_as_the_student_with_its_reasons() -> anyhow::Result<()> {
    let (student, _) = saved(StudentKind::Tree)?;
    let model = SavedModel::from_json(&student.to_json()?)?;
    assert!(matches!(model, SavedModel::Student(_)));
    assert_eq!(model.categorical(), ["region"]);
    let rows = table(&[1.0, 9.0], &["north", "south"])?;
    let scores: Scores = model.score(&rows, Unseen::Error, 2)?;
    assert_eq!(scores.names, ["p_0", "p_1"]);
    assert_eq!(scores.lines, [2, 3]);
    let expected = student.student.predict(ndarray::array![[1.0, 0.0], [9.0, 1.0]].view())?;
    assert_eq!(scores.values, expected);
    assert!(
        scores.reasons.iter().all(|r| r.len() == 1),
        "a tree's one reason, its path: {:?}",
        scores.reasons
    );
    Ok(())
}

#[test]
fn a_scorecard_gives_its_score_after_its_probabilities_and_an_unseen_level_its_neutral_class()
-> anyhow::Result<()> {
    let (student, train) = saved(StudentKind::Scorecard)?;
    let Student::Scorecard(card) = &student.student else { anyhow::bail!("not a scorecard") };
    let model = SavedModel::from_json(&student.to_json()?)?;
    let scores = model.score(&train, Unseen::Error, 0)?;
    assert_eq!(scores.names, ["p_0", "p_1", "score"]);
    let spec = DatasetSpec { target: "y".into(), task: TaskHint::Auto, ..DatasetSpec::default() };
    let x = Dataset::from_table(&train, &spec)?.x().to_owned();
    assert_eq!(scores.values.column(2), card.score(x.view())?);
    assert!(scores.reasons.iter().all(Vec::is_empty), "no reasons asked");

    let rows = table(&[1.0, 9.0, 2.0], &["north", "west", "south"])?;
    let Err(refused) = model.score(&rows, Unseen::Error, 0) else { anyhow::bail!("an unseen level scored") };
    let refused = refused.to_string();
    assert!(refused.contains("line 3") && refused.contains("region"), "{refused}");
    // With the fallback, 'west' takes the neutral class: scored, with no points for its region.
    let scores = model.score(&rows, Unseen::Fallback, 1)?;
    let all = model.score(&table(&[1.0, 2.0], &["north", "south"])?, Unseen::Error, 1)?;
    assert_eq!([&scores.reasons[0], &scores.reasons[2]], [&all.reasons[0], &all.reasons[1]]);
    assert!(
        scores.reasons[1][0].contains("an unseen level (class unseen level): 0.0 points"),
        "{:?}",
        scores.reasons
    );
    assert!(scores.by_row().all(|(_, row)| matches!(row, RowScore::Scored { .. })));
    let neutral = card.base_points + card.points(ndarray::array![[9.0, f64::from(2u8)]].view())?[[0, 0]];
    assert!((scores.values[[1, 2]] - neutral).abs() < 1e-9, "{} against {neutral}", scores.values[[1, 2]]);
    Ok(())
}

#[test]
fn rows_a_student_cannot_score_are_kept_in_place_with_their_reason() -> anyhow::Result<()> {
    // A boosted GAM has no rule for an unseen level: with the fallback, that row is unscored.
    let (student, _) = saved(StudentKind::Gam)?;
    let model = SavedModel::from_json(&student.to_json()?)?;
    let rows = table(&[1.0, 9.0, 2.0], &["north", "west", "south"])?;
    let scores = model.score(&rows, Unseen::Fallback, 1)?;
    let all = model.score(&table(&[1.0, 2.0], &["north", "south"])?, Unseen::Error, 1)?;
    assert_eq!(scores.reasons, all.reasons, "the reasons of the scored rows, in order");
    let by_row: Vec<_> = scores.by_row().collect();
    assert_eq!(by_row.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 3, 4]);
    assert!(matches!(by_row[1].1, RowScore::Unscored(why) if why.contains("west")), "{:?}", by_row[1]);
    assert_eq!(scores.values.nrows(), 2, "the scored rows only");
    let RowScore::Scored { values, .. } = &by_row[2].1 else { anyhow::bail!("the third row is not scored") };
    assert_eq!(values, &scores.values.row(1));
    Ok(())
}

#[test]
fn another_file_is_refused_by_the_student_loader() -> anyhow::Result<()> {
    let Err(err) = SavedModel::from_json("{\"format\": \"kd-mlp\"}") else {
        anyhow::bail!("read as a student")
    };
    assert!(err.to_string().contains("kd-student"), "{err}");
    assert!(SavedModel::from_json("not json").is_err());
    Ok(())
}
