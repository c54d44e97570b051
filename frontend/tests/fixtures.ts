// Test data that cannot collide with other tests sharing the API's database.
import { deflateSync } from "node:zlib";
import { usePatientStore, type Patient } from "../store/patientStore";
import { useAppointmentStore, type AppointmentType } from "../store/appointmentStore";
import { unique } from "./session";

const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join("");

/** A valid, random San Francisco number: +1 (415) 2xx-xxxx. */
export const randomPhone = () => `+1 (415) 2${digits(2)}-${digits(4)}`;

/** A random date far in the future (2031–2090), so bookings of different tests never meet. */
export function randomFutureDate(): string {
  const year = 2031 + Math.floor(Math.random() * 60);
  const month = 1 + Math.floor(Math.random() * 12);
  const day = 1 + Math.floor(Math.random() * 28);
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** A random last name of letters only (search matches word prefixes). */
export const randomName = (prefix: string) => unique(prefix).replace(/[0-9]/g, (d) => "abcdefghij"[Number(d)] ?? "x");

export async function createPatient(lastName = randomName("Test")): Promise<Patient> {
  for (let attempt = 0; ; attempt++) {
    const patient = await usePatientStore.getState().create({ firstName: "Ana", lastName, mobileNumber: randomPhone() });
    if (patient) return patient;
    // A random number another test already took (unlikely, never twice in a row): draw again.
    const error = usePatientStore.getState().errors.create;
    if (error?.code !== "CONFLICT" || attempt === 2) throw error;
  }
}

export async function createType(duration = 30): Promise<AppointmentType> {
  const type = await useAppointmentStore.getState().createType({ name: unique("Cleaning "), price: 80, duration, color: "#3B82F6" });
  if (!type) throw useAppointmentStore.getState().errors.createType;
  return type;
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid 1×1 RGB PNG of the given colour. */
export function tinyPng(red = 255, green = 0, blue = 0): Uint8Array<ArrayBuffer> {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0); // width
  header.writeUInt32BE(1, 4); // height
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const pixels = deflateSync(Buffer.from([0, red, green, blue])); // filter byte + one pixel
  return new Uint8Array(Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", pixels),
    chunk("IEND", new Uint8Array()),
  ]));
}
