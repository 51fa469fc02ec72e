import 'server-only';
import QRCode from 'qrcode';

/** The otpauth:// URI as an SVG data URL, drawn on our server: the secret never goes to a QR service. */
export async function qrCodeDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
