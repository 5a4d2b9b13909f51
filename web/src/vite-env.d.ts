/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_STRIDE_API?: string;
}
