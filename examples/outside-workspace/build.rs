//! Writes libtorch's folder into this crate's binaries' rpath, so they start without
//! `LD_LIBRARY_PATH`. torch-sys, a direct dependency for this reason, reports the folder as
//! `DEP_TCH_LIBTORCH_LIB` to the build scripts of the crates that depend on it directly; kd-core's
//! own build script does the same for kd-core's targets only.
fn main() {
    println!("cargo:rerun-if-env-changed=DEP_TCH_LIBTORCH_LIB");
    if let Ok(dir) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
}
