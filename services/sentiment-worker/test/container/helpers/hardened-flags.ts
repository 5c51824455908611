/**
 * `podman run` flags for the way production should run the image (docs/operations.md, the Kubernetes
 * securityContext): read-only root, no capabilities, no privilege escalation. podman's --read-only
 * alone would still mount writable tmpfs on /tmp, /var/tmp and /run; a read-only root in Docker or
 * Kubernetes has none, so --read-only-tmpfs=false.
 */
export const HARDENED = ['--read-only', '--read-only-tmpfs=false', '--cap-drop=ALL', '--security-opt=no-new-privileges'];
