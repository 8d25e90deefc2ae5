export const FILE_FORMATS = ["csv", "json", "ndjson", "xml"] as const;
