// @capstan/signing: .prov sign/verify, keyrings, keygen (bin: capstan-sign).
export const packageName = "@capstan/signing";
