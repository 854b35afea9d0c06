//! A program outside kd's workspace that builds a LeNet-5 with `kd_core::nn` and runs it on two
//! blank 8×8 images: it starts only if libtorch's folder is in its rpath (see `build.rs`).

use kd_core::nn::{LeNetConfig, Network};
use kd_core::tch::{Device, Kind, Tensor, nn};

fn main() -> Result<(), kd_core::Error> {
    let store = nn::VarStore::new(Device::Cpu);
    let net = LeNetConfig::lenet5(8, 10).init(&store.root())?;
    let images = Tensor::zeros([2, 64], (Kind::Float, Device::Cpu));
    let output = net.forward_taps(&images, false)?;
    println!("logits {:?}", output.logits.size());
    Ok(())
}
