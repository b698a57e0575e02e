//! An emulator of AWS Well-Architected and License Manager that the official SDK clients reach
//! over HTTP; its operations arrive with the emulator work described in the README.
