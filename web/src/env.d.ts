// Vite bundles imported CSS files; they have no exports.
declare module "*.css";
