// The battery link's UART (docs/battery-link.md): receive only, 57600 8N1 on the board's RX pin.
export const LINK_BAUD = 57600;

export function setupLink(rx: Pin, onData: (data: string) => void): void {
  Serial1.setup(LINK_BAUD, { rx: rx });
  Serial1.on("data", onData);
}
