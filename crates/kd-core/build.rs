//! With the `torch` feature, write libtorch's folder into this package's binaries' and tests'
//! rpath, so they run without `LD_LIBRARY_PATH`. torch-sys reports the folder as
//! `DEP_TCH_LIBTORCH_LIB`. (Each package that links libtorch carries this script: cargo packages
//! only the files inside a package, and a link argument reaches only its own package's targets.)
fn main() {
    println!("cargo:rerun-if-env-changed=DEP_TCH_LIBTORCH_LIB");
    if let Ok(dir) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
}
