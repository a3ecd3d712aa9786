/** Test/demo tooling only: a local stand-in for Shopify's Admin API. Never import from app/. */
export {
  adminSchema,
  validateAdminDocument,
  deprecatedUsages,
  DEFAULT_ADMIN_API_VERSION,
  type AdminApiVersion,
} from "./schema";
export { createAdminApi, type AdminApi, type AdminApiOptions } from "./admin-api";
export {
  FAULT_KINDS,
  FaultInputError,
  describeFault,
  parseFault,
  queueFault,
  type FaultKind,
  type FaultSummary,
} from "./faults";
export {
  createManualClock,
  addCustomer,
  issueAccessToken,
  findDiscountByCode,
  loadExtensionFunction,
  type AdminApiState,
  type AutomaticAppDiscountRecord,
  type CallLogEntry,
  type DiscountFunctionLoader,
  type DiscountFunctionModule,
  type FunctionRunRecord,
  type Clock,
  type CustomerRecord,
  type DiscountRecord,
  type Fault,
  type FaultContext,
  type ManualClock,
  type MetafieldRecord,
  type Sleep,
  type StoreCreditAccountRecord,
  type StoreCreditTransactionRecord,
} from "./state";
export { signSessionToken, verifySessionToken, handleAccessTokenRequest } from "./token-exchange";
export {
  applyDiscountCode,
  recordOrderWithCode,
  applyStoreCredit,
  availableStoreCredit,
  payWithStoreCredit,
  quoteCheckout,
  countAutomaticUsage,
  type AutomaticApplication,
  type CheckoutLine,
  type CheckoutQuote,
  type CheckoutResult,
  type AppliedDiscount,
  type StoreCreditCheck,
} from "./checkout";
export {
  STORE_CREDIT_MESSAGES,
  creditStoreCredit,
  debitStoreCredit,
  storeCreditAccountsOf,
  storeCreditBalance,
} from "./store-credit";
export {
  createAutomaticAppDiscount,
  updateAutomaticAppDiscount,
  AUTOMATIC_DISCOUNT_MESSAGES,
  type AutomaticAppDiscountInput,
} from "./automatic-discounts";
export { runAutomaticDiscounts, selectInput } from "./discount-functions";
export { installShopifyFetch, type ShopifyRoute } from "./fetch";
