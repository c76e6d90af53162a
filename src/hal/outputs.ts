// Outputs are either driven high ("allowed") or left floating (high impedance, "off"): a dead or
// resetting board leaves every output floating, which is the safe state (SPEC §2).

/** Drive the pin high, or let it float. */
export function driveOutput(pin: Pin, on: boolean): void {
  if (on) {
    // set the latch high before switching to output, so the pin never glitches low
    digitalWrite(pin, 1);
    pinMode(pin, "output");
  } else {
    pinMode(pin, "input");
  }
}

/** What the pin is really doing: true when it is an output driven high. */
export function outputIsHigh(pin: Pin): boolean {
  return getPinMode(pin) === "output" && digitalRead(pin) === 1;
}
