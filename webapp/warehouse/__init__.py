"""The warehouse phone flow: QR labels, scanning, packing with photo proof, outbound and hand-over."""
