"""Reference for kd-core's audio features: librosa 0.11.0's power spectrogram, mel filterbank,
mel spectrogram, log-mel (power_to_db) and MFCC, on float64 input, for five parameter sets
(librosa's defaults; kd's speech settings on two Free Spoken Digit Dataset recordings; HTK
mels without normalisation, reflect padding, a short window, magnitude, no top_db and a
lifter; no centring), and soundfile's decoding of the shortest FSDD recording.

Pinned: librosa 0.11.0, numpy 2.4.6, scipy 1.17.1, soundfile 0.14.0 (Python 3.11). librosa
pulls numba and scikit-learn, so it lives in a virtual environment of its own:

    python3 -m venv /tmp/librosa-venv
    /tmp/librosa-venv/bin/pip install librosa==0.11.0 numpy==2.4.6 scipy==1.17.1 soundfile==0.14.0
    /tmp/librosa-venv/bin/python gen.py   # from this folder; writes cases.json

Run from this folder; it reads the shipped archive data/speech/fsdd_recordings.tar.gz.
"""

import io
import json
import pathlib
import tarfile

import librosa
import numpy as np
import scipy
import soundfile

ROOT = pathlib.Path(__file__).resolve().parents[5]
ARCHIVE = ROOT / "data/speech/fsdd_recordings.tar.gz"
SHORTEST = "recordings/6_yweweler_3.wav"
FSDD = ["recordings/3_theo_0.wav", "recordings/7_george_4.wav"]


def read_fsdd(names):
    out = {}
    with tarfile.open(ARCHIVE) as tar:
        for name in names:
            data = tar.extractfile(name).read()
            y, sr = soundfile.read(io.BytesIO(data), dtype="float64")
            out[name] = (y, sr)
    return out


def synthetic(n, sr, seed):
    """A rising chirp plus a tone and Gaussian noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / sr
    chirp = np.sin(2 * np.pi * (100 * t + 0.5 * (sr / 4) * t * t / t[-1]))
    return 0.5 * chirp + 0.2 * np.sin(2 * np.pi * 700 * t) + 0.05 * rng.standard_normal(n)


def features(y, sr, p):
    """Every feature librosa computes for y under the parameters p (kd's names)."""
    ref = np.max if p["reference"] == "max" else p["reference"]
    framing = {k: p[k] for k in ("n_fft", "hop_length", "win_length", "center", "pad_mode")}
    filters = dict(
        n_mels=p["n_mels"],
        fmin=p["fmin"],
        fmax=p["fmax"],
        htk=p["mel_scale"] == "htk",
        norm="slaney" if p["mel_norm"] == "slaney" else None,
        dtype=np.float64,
    )
    S = np.abs(librosa.stft(y, **framing)) ** p["power"]
    fb = librosa.filters.mel(sr=sr, n_fft=p["n_fft"], **filters)
    kwargs = dict(framing, power=p["power"], **filters)
    mel = librosa.feature.melspectrogram(y=y, sr=sr, **kwargs)
    log_mel = librosa.power_to_db(mel, ref=ref, amin=p["amin"], top_db=p["top_db"])
    mfcc = librosa.feature.mfcc(S=log_mel, n_mfcc=p["n_mfcc"], lifter=p["lifter"])
    return {
        "power": S.tolist(),
        "filterbank": [sparse_row(row) for row in fb],
        "mel": mel.tolist(),
        "log_mel": log_mel.tolist(),
        "mfcc": mfcc.tolist(),
    }


def sparse_row(row):
    """A filter as its first non-zero bin and the values up to its last non-zero bin."""
    nz = np.flatnonzero(row)
    return {"start": int(nz[0]), "values": row[nz[0] : nz[-1] + 1].tolist()}


def params(**changes):
    p = dict(
        n_fft=2048,
        hop_length=512,
        win_length=2048,
        center=True,
        pad_mode="constant",
        power=2.0,
        n_mels=128,
        fmin=0.0,
        fmax=None,
        mel_scale="slaney",
        mel_norm="slaney",
        reference=1.0,
        amin=1e-10,
        top_db=80.0,
        n_mfcc=20,
        lifter=0.0,
    )
    p.update(changes)
    return p


speech = dict(n_fft=256, hop_length=160, win_length=256, n_mels=32, n_mfcc=13, reference="max")
fsdd = read_fsdd(FSDD + [SHORTEST])
cases = [
    ("librosa_defaults_22050", {"synthetic": [3000, 22050, 1]}, 22050, params()),
    ("speech_fsdd_theo", {"fsdd": FSDD[0]}, 8000, params(**speech)),
    ("speech_fsdd_george", {"fsdd": FSDD[1]}, 8000, params(**speech)),
    (
        "htk_reflect_short_window",
        {"synthetic": [3000, 16000, 2]},
        16000,
        params(
            n_fft=512,
            hop_length=160,
            win_length=400,
            pad_mode="reflect",
            power=1.0,
            n_mels=40,
            fmin=50.0,
            fmax=7600.0,
            mel_scale="htk",
            mel_norm="none",
            top_db=None,
            n_mfcc=20,
            lifter=22.0,
        ),
    ),
    ("no_centre", {"synthetic": [2500, 8000, 3]}, 8000, params(**dict(speech, center=False))),
]
out = {
    "source": f"librosa {librosa.__version__}, numpy {np.__version__}, scipy {scipy.__version__}, soundfile {soundfile.__version__}",
    "tolerance": {"relative_to_max": 1e-10, "db": 1e-8},
    "decode": {"entry": SHORTEST, "sample_rate": fsdd[SHORTEST][1], "samples": fsdd[SHORTEST][0].tolist()},
    "cases": [],
}
for name, signal, sr, p in cases:
    if "fsdd" in signal:
        y, rate = fsdd[signal["fsdd"]]
        assert rate == sr
        stored = {"fsdd": signal["fsdd"]}
    else:
        n, rate, seed = signal["synthetic"]
        y = synthetic(n, rate, seed)
        stored = {"samples": y.tolist()}
    out["cases"].append(dict(name=name, sample_rate=sr, params=p, signal=stored, **features(y, sr, p)))
(pathlib.Path(__file__).parent / "cases.json").write_text(json.dumps(out))
