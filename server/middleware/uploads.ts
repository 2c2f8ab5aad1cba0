// Uploaded files (imports, translations): each request gets a private temporary folder, removed
// with whatever is in it when the response ends, and a file name safe to keep.
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { NextFunction, Request, Response } from "express";

declare global {
  namespace Express {
    interface Request {
      /** This request's private upload folder, removed when the response ends. */
      uploadDir?: string;
    }
  }
}

export const UPLOAD_ROOT = path.join(tmpdir(), "opendoor-uploads");

/** Gives the request its own folder and removes it, with whatever is in it, when the response ends. */
export function uploadFolder(req: Request, res: Response, next: NextFunction): void {
  const dir = path.join(UPLOAD_ROOT, randomUUID());
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  req.uploadDir = dir;
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    rmSync(dir, { recursive: true, force: true });
  };
  res.on("finish", remove);
  res.on("close", remove);
  next();
}

/** A file name safe to keep (messages name the file the person uploaded). */
export const safeName = (name: string) =>
  path
    .basename(name)
    .replace(/[^\p{L}\p{N}._ -]+/gu, "_")
    .slice(0, 120) || "upload.csv";
