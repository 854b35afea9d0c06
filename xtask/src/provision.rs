//! Provisioning: what the tests, reproductions and the installed `kd` need on the machine.
//!
//! 1. OpenBLAS (LAPACK/BLAS for ndarray-linalg): Debian's `libopenblas-dev`, installed with
//!    apt-get when missing and running as root; otherwise the command to run is printed.
//! 2. A Python virtual environment in a cache folder outside the checkout
//!    (`$KD_TORCH_HOME`, else `$XDG_CACHE_HOME/kd/torch-2.13.0`, else
//!    `~/.cache/kd/torch-2.13.0`) holding the packages pinned in `xtask/python-requirements.txt`:
//!    PyPI's `torch==2.13.0` wheel supplies libtorch for tch 0.26 (`LIBTORCH_USE_PYTORCH=1`), and
//!    scikit-learn serves example teachers. A stamp file records the installed requirements, so
//!    a second run does nothing. A `LIBTORCH` already set by the user is respected.
//! 3. For `test` only, Debian's `chromium` (headless), which opens the `kd audit` report in a
//!    real browser; installed with apt-get like OpenBLAS.
//! 4. For `bench spline` only, a second environment (`$KD_PYGAM_HOME`, else
//!    `<cache>/kd/pygam-0.12.0`) with pyGAM, pinned in `xtask/pygam-requirements.txt`: pyGAM
//!    0.12.0 requires scipy < 1.17, which the main environment's scipy 1.17.1 is not.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

const REQUIREMENTS: &str = include_str!("../python-requirements.txt");
const TORCH_VERSION: &str = "2.13.0";
const PYGAM_REQUIREMENTS: &str = include_str!("../pygam-requirements.txt");
const PYGAM_VERSION: &str = "0.12.0";

/// Environment variables for the cargo commands that follow.
#[derive(Debug, Default)]
pub struct Env {
    vars: Vec<(String, String)>,
}

impl Env {
    /// Sets (or replaces) a variable.
    pub fn set(&mut self, key: &str, value: impl Into<String>) {
        self.vars.retain(|(k, _)| k != key);
        self.vars.push((key.to_owned(), value.into()));
    }

    /// The value of a variable, if set.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.vars.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The variables, to pass to `Command::envs`.
    pub fn vars(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// Provisions everything and returns the environment to build and run with.
pub fn all() -> Result<Env> {
    openblas()?;
    python_env()
}

fn run_ok(cmd: &mut Command) -> bool {
    cmd.output().is_ok_and(|o| o.status.success())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn apt_install(packages: &[&str]) -> Result<()> {
    for args in
        [vec!["update", "-q"], [&["install", "-y", "-q", "--no-install-recommends"][..], packages].concat()]
    {
        println!("xtask: apt-get {}", args.join(" "));
        let status = Command::new("apt-get")
            .args(&args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .context("cannot run apt-get")?;
        if !status.success() {
            bail!("apt-get {} failed ({status})", args.join(" "));
        }
    }
    Ok(())
}

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
}

/// Debian's headless-capable Chromium for the report's browser test, installed when missing.
pub fn chromium() -> Result<()> {
    if installed("chromium") {
        return Ok(());
    }
    if !is_root() {
        bail!(
            "Chromium (the browser test of the kd audit report) is missing. Install it with\n    \
             sudo apt-get install -y chromium\nand run this command again."
        );
    }
    println!("xtask: Chromium is missing; installing Debian's chromium (the audit report's browser test)");
    apt_install(&["chromium"])
}

fn openblas() -> Result<()> {
    if installed("libopenblas-dev") {
        return Ok(());
    }
    if !is_root() {
        bail!(
            "OpenBLAS (LAPACK/BLAS for ndarray-linalg) is missing. Install it with\n    \
             sudo apt-get install -y libopenblas-dev\nand run this command again."
        );
    }
    println!("xtask: OpenBLAS is missing; installing Debian's libopenblas-dev");
    apt_install(&["libopenblas-dev"])
}

/// `$<variable>` if set, else `<cache>/kd/<folder>` (`$XDG_CACHE_HOME` or `~/.cache`).
fn cache_home(variable: &str, folder: &str) -> Result<PathBuf> {
    if let Some(home) = std::env::var_os(variable) {
        return Ok(PathBuf::from(home));
    }
    let cache = match (std::env::var_os("XDG_CACHE_HOME"), std::env::var_os("HOME")) {
        (Some(xdg), _) if !xdg.is_empty() => PathBuf::from(xdg),
        (_, Some(home)) => Path::new(&home).join(".cache"),
        _ => bail!("neither XDG_CACHE_HOME nor HOME is set; set {variable} to a folder for it"),
    };
    Ok(cache.join("kd").join(folder))
}

fn torch_home() -> Result<PathBuf> {
    cache_home("KD_TORCH_HOME", &format!("torch-{TORCH_VERSION}"))
}

/// `pip install -r` of `requirements`, written into `home`, with `python`.
fn pip_install(python: &Path, home: &Path, requirements: &str) -> Result<()> {
    let file = home.join("requirements.txt");
    std::fs::write(&file, requirements)?;
    let status = Command::new(python)
        .args(["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off", "-q", "-r"])
        .arg(&file)
        .status()
        .context("cannot run pip")?;
    if !status.success() {
        bail!("pip install -r {} failed ({status})", file.display());
    }
    Ok(())
}

/// What `python -c code` prints.
fn printed(python: &Path, code: &str) -> Result<String> {
    let out = Command::new(python).args(["-c", code]).output().context("cannot run python")?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The pyGAM environment for `bench spline`, created when missing; returns its Python.
pub fn pygam_python() -> Result<PathBuf> {
    let home = cache_home("KD_PYGAM_HOME", &format!("pygam-{PYGAM_VERSION}"))?;
    let python = home.join("bin").join("python");
    let stamp = home.join(".kd-requirements");
    if python.exists() && std::fs::read_to_string(&stamp).is_ok_and(|s| s == PYGAM_REQUIREMENTS) {
        return Ok(python);
    }
    println!(
        "xtask: pyGAM {PYGAM_VERSION}, the anchor of `bench spline`, is not installed; installing it into {} \
         (its own environment: pyGAM wants scipy < 1.17, the main one has 1.17.1)",
        home.display()
    );
    if !python.exists() {
        create_venv(&home)?;
    }
    pip_install(&python, &home, PYGAM_REQUIREMENTS)?;
    let version = printed(&python, "import pygam; print(pygam.__version__)")?;
    if version.trim() != PYGAM_VERSION {
        bail!("the environment in {} has pygam '{}', not {PYGAM_VERSION}", home.display(), version.trim());
    }
    std::fs::write(&stamp, PYGAM_REQUIREMENTS)?;
    Ok(python)
}

fn create_venv(home: &Path) -> Result<()> {
    println!("xtask: creating a Python virtual environment in {}", home.display());
    if let Some(parent) = home.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let venv = || run_ok(Command::new("python3").args(["-m", "venv"]).arg(home));
    if venv() {
        return Ok(());
    }
    if is_root() && run_ok(Command::new("apt-get").arg("--version")) {
        println!("xtask: `python3 -m venv` failed; installing Debian's python3-venv");
        apt_install(&["python3-venv"])?;
        if venv() {
            return Ok(());
        }
    }
    bail!(
        "`python3 -m venv {}` failed; install Python 3 with its venv module (Debian: python3-venv)",
        home.display()
    )
}

fn python_env() -> Result<Env> {
    let home = torch_home()?;
    let python = home.join("bin").join("python");
    let stamp = home.join(".kd-requirements");
    let ready = python.exists() && std::fs::read_to_string(&stamp).is_ok_and(|s| s == REQUIREMENTS);
    if !ready {
        if !python.exists() {
            create_venv(&home)?;
        }
        println!(
            "xtask: installing torch=={TORCH_VERSION} (libtorch), scikit-learn and statsmodels into {} \
             (first time only: about 5 GB on disk, a few minutes)",
            home.display()
        );
        pip_install(&python, &home, REQUIREMENTS)?;
        let version = printed(&python, "import sklearn, torch; print(torch.__version__)")?;
        if !version.starts_with(TORCH_VERSION) {
            bail!(
                "the environment in {} has torch '{}', not {TORCH_VERSION}",
                home.display(),
                version.trim()
            );
        }
        std::fs::write(&stamp, REQUIREMENTS)?;
        println!("xtask: the Python environment is ready");
    }

    let mut env = Env::default();
    if std::env::var_os("LIBTORCH").is_none() {
        env.set("LIBTORCH_USE_PYTORCH", "1");
    } else {
        println!("xtask: LIBTORCH is set; tch links the libtorch there");
    }
    let bin = home.join("bin");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&path)))?;
    env.set("PATH", path.to_string_lossy());
    env.set("VIRTUAL_ENV", home.to_string_lossy());
    env.set("KD_PYTHON", python.to_string_lossy());
    Ok(env)
}
