/** Styles of the sandbox's own pages (the theme stand-in and the admin chrome). */

export const THEME_CSS = `
[hidden]{display:none!important}
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#fbfaf7}
a{color:#1d4ed8}
.sandbox-bar{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center;padding:.5rem 1rem;background:#111827;color:#f9fafb;font-size:.875rem}
.sandbox-bar a{color:#bfdbfe}
.sandbox-bar form{display:flex;gap:.5rem;align-items:center}
.sandbox-bar select{max-width:20rem}
.sandbox-bar select,.sandbox-bar button{font:inherit;padding:.25rem .5rem;border-radius:6px;border:1px solid #6b7280;background:#fff;color:#111827}
.sandbox-bar strong{color:#fde68a}
.site-header{display:flex;justify-content:space-between;align-items:center;gap:1rem;padding:1rem 2rem;border-bottom:1px solid #e5e7eb;background:#fff}
.logo{font-weight:700;font-size:1.25rem;color:#1f2328;text-decoration:none}
.site-header nav{display:flex;gap:1.25rem}
main{max-width:1080px;margin:0 auto;padding:2rem}
.hero{padding:2rem;border-radius:16px;background:#fef3c7;margin-bottom:2rem}
.hero h1{margin:0 0 .5rem;font-size:2rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:1.5rem;list-style:none;padding:0}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:12px;overflow:hidden}
.card a{display:block;color:inherit;text-decoration:none;padding-bottom:1rem}
.card h3{margin:.75rem 1rem .25rem;font-size:1rem}
.card p{margin:0 1rem;color:#4b5563}
.swatch{aspect-ratio:4/3;display:grid;place-items:center;color:#fff;font-weight:600;font-size:1.1rem}
.product{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:2rem}
.product .swatch{border-radius:16px}
.price{font-size:1.25rem;font-weight:600}
.stack{display:grid;gap:1rem}
label{font-weight:600}
input,select{font:inherit}
.field{display:grid;gap:.25rem;max-width:24rem}
.field input,.field select{padding:.5rem .75rem;border:1px solid #6b7280;border-radius:8px}
.field.checkbox{display:flex;gap:.5rem;align-items:center}
.field.checkbox input{width:1.1rem;height:1.1rem;padding:0}
.btn{display:inline-block;font:inherit;font-weight:600;padding:.65rem 1.25rem;border-radius:8px;border:1px solid #1f2328;background:#1f2328;color:#fff;cursor:pointer;text-decoration:none}
.btn-secondary{background:#fff;color:#1f2328}
.link-button{font:inherit;background:none;border:0;color:#1d4ed8;text-decoration:underline;cursor:pointer;padding:0}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.6rem .75rem;border-bottom:1px solid #e5e7eb}
.totals{max-width:24rem;margin-left:auto}
.totals div{display:flex;justify-content:space-between;padding:.25rem 0}
.totals .grand{font-weight:700;font-size:1.1rem;border-top:1px solid #d1d5db;margin-top:.5rem;padding-top:.5rem}
.notice{padding:.75rem 1rem;border-radius:8px;background:#dbeafe;color:#1e3a8a}
.error{padding:.75rem 1rem;border-radius:8px;background:#fee2e2;color:#7f1d1d}
.section{margin-top:2.5rem}
footer{max-width:1080px;margin:3rem auto 6rem;padding:1rem 2rem;color:#4b5563;font-size:.875rem;border-top:1px solid #e5e7eb}
footer nav{display:flex;gap:1rem;flex-wrap:wrap}
.checkout{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:2rem}
@media (max-width:720px){.product,.checkout{grid-template-columns:1fr}}
`;

export const ADMIN_CSS = `
[hidden]{display:none!important}
*,*::before,*::after{box-sizing:border-box}
html,body{height:100%}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#303030;background:#f1f1f1;display:flex;flex-direction:column}
a{color:#005bd3}
.topbar{display:flex;align-items:center;gap:1rem;height:56px;padding:0 1rem;background:#1a1a1a;color:#e3e3e3}
.topbar .brand{font-weight:700;color:#fff;text-decoration:none}
.topbar .store{margin-left:auto;display:flex;gap:1rem;align-items:center}
.topbar a{color:#e3e3e3}
.badge{font-size:.75rem;padding:.1rem .5rem;border-radius:999px;background:#ffd79d;color:#4f2f00;font-weight:600}
.shell{flex:1;display:flex;min-height:0}
.sidebar{width:240px;flex:none;background:#ebebeb;padding:.75rem .5rem;overflow:auto}
.sidebar ul{list-style:none;margin:0;padding:0}
.sidebar a{display:block;padding:.35rem .75rem;border-radius:8px;color:#303030;text-decoration:none;font-weight:600}
.sidebar a:hover{background:#e0e0e0}
.sidebar a[aria-current="page"]{background:#fafafa}
.sidebar .heading{padding:.9rem .75rem .25rem;font-size:.75rem;color:#616161;font-weight:600;text-transform:uppercase;letter-spacing:.04em}
.sidebar ul ul a{font-weight:500;padding-left:1.75rem}
.main{flex:1;display:flex;flex-direction:column;min-width:0}
.titlebar{display:flex;align-items:center;gap:.75rem;padding:.6rem 1rem;background:#fff;border-bottom:1px solid #e3e3e3;min-height:52px}
.titlebar h1{font-size:1rem;margin:0}
.titlebar .actions{margin-left:auto;display:flex;gap:.5rem}
.app-frame{flex:1;border:0;width:100%;background:#f1f1f1}
.btn{font:inherit;font-weight:600;padding:.4rem .8rem;border-radius:8px;border:1px solid #8a8a8a;background:#fff;color:#303030;cursor:pointer}
.btn-primary{background:#303030;border-color:#303030;color:#fff}
.btn[aria-disabled="true"]{opacity:.55;cursor:not-allowed}
.save-bar{display:flex;align-items:center;gap:1rem;padding:.6rem 1rem;background:#1a1a1a;color:#fff}
.save-bar .actions{margin-left:auto;display:flex;gap:.5rem}
.save-bar .btn{border-color:#8a8a8a;background:transparent;color:#fff}
.save-bar .btn-primary{background:#fff;border-color:#fff;color:#1a1a1a}
body.has-save-bar .topbar{display:none}
.shake{animation:shake .4s}
@keyframes shake{25%{transform:translateX(-6px)}75%{transform:translateX(6px)}}
@media (prefers-reduced-motion:reduce){.shake{animation:none;outline:3px solid #ffd79d}}
.picker{border:1px solid #d4d4d8;border-radius:.75rem;padding:1.25rem;min-width:22rem;max-height:80vh}
.picker::backdrop{background:rgb(0 0 0 / .4)}
.picker ul{list-style:none;margin:.75rem 0;padding:0;display:grid;gap:.5rem;max-height:50vh;overflow:auto}
.picker .actions{display:flex;justify-content:flex-end;gap:.5rem}
.toasts{position:fixed;left:50%;bottom:1.5rem;transform:translateX(-50%);display:grid;gap:.5rem;z-index:10}
.toast{display:flex;align-items:center;gap:.75rem;padding:.6rem .75rem .6rem 1rem;border-radius:10px;background:#1a1a1a;color:#fff;box-shadow:0 8px 20px rgba(0,0,0,.25)}
.toast-error{background:#8e1f0b}
.toast .btn,.toast-close{font:inherit;background:transparent;color:#fff;border:1px solid #8a8a8a;border-radius:6px;padding:.15rem .5rem;cursor:pointer}
.page{padding:1.25rem;overflow:auto;display:grid;gap:1rem;align-content:start}
.card{background:#fff;border-radius:12px;padding:1rem;box-shadow:0 1px 0 rgba(0,0,0,.07),0 0 0 1px rgba(0,0,0,.06)}
.card h2{font-size:.95rem;margin:0 0 .75rem}
.form-row{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end}
.field{display:grid;gap:.25rem}
.field label,.field legend{font-weight:600}
.field input,.field select{font:inherit;padding:.35rem .5rem;border:1px solid #8a8a8a;border-radius:8px;background:#fff}
.check{display:flex;gap:.4rem;align-items:center}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid #ebebeb;vertical-align:top}
th{font-size:.8rem;color:#616161}
td form{display:inline-flex;gap:.35rem;align-items:center;margin:0 .35rem .35rem 0}
td select,td input{font:inherit;padding:.2rem .35rem;border:1px solid #8a8a8a;border-radius:6px}
.status{font-size:.75rem;padding:.1rem .5rem;border-radius:999px;background:#e3e3e3;font-weight:600}
.status-ok{background:#cdfee1;color:#0c5132}
.status-bad{background:#fedad9;color:#8e1f0b}
.status-held{background:#ffd79d;color:#4f2f00}
.flash{padding:.6rem .9rem;border-radius:10px;background:#cdfee1;color:#0c5132}
.flash-error{background:#fedad9;color:#8e1f0b}
pre{white-space:pre-wrap;word-break:break-word;background:#f7f7f7;padding:.5rem;border-radius:8px;max-height:20rem;overflow:auto;font-size:12px}
.muted{color:#616161}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
