// Fixture for rust.transmute-to-function-pointer (written for provscan; not from any project).
use std::mem;

static STAGE: [u8; 8] = [0x48, 0x31, 0xc0, 0xc3, 0x90, 0x90, 0x90, 0x90];

pub fn checksum(data: &[u8]) -> u32 {
    unsafe {
        // ruleid: rust.transmute-to-function-pointer
        let run: extern "C" fn() -> u32 = mem::transmute(STAGE.as_ptr());
        let _ = run();
    }
    data.iter().map(|b| *b as u32).sum()
}

pub fn hook(addr: usize) -> i32 {
    // ruleid: rust.transmute-to-function-pointer
    let f = unsafe { mem::transmute::<usize, unsafe extern "C" fn(i32) -> i32>(addr) };
    unsafe { f(1) }
}

pub fn bits(x: f32) -> u32 {
    // ok: rust.transmute-to-function-pointer
    let b: u32 = unsafe { mem::transmute(x) };
    b
}

pub fn callback(f: fn(i32) -> i32) -> usize {
    // ok: rust.transmute-to-function-pointer
    let raw = f as usize;
    raw
}
